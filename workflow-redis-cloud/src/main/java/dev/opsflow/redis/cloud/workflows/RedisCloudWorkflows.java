package dev.opsflow.redis.cloud.workflows;

import dev.opsflow.redis.cloud.client.RedisCloudClient;
import dev.opsflow.workflow.WorkflowRegistry;
import java.util.List;
import java.util.Objects;

/**
 * The Redis Cloud workflows by name: {@code subscription-setup}, {@code provision-subscription},
 * {@code setup-aa-database} and {@code quick-database}.
 *
 * <pre>{@code
 * RedisCloudWorkflows.registerAll(registry, client);
 * registry.run(engine, "subscription-setup", Map.of("name", "prod", "region", "us-east-1"),
 *     RunOptions.defaults().withRollback(true));
 * }</pre>
 */
public final class RedisCloudWorkflows {
  private RedisCloudWorkflows() {}

  /** The names this module registers. */
  public static final List<String> NAMES =
      List.of(
          SubscriptionSetupWorkflow.NAME,
          ProvisionSubscriptionWorkflow.NAME,
          SetupAaDatabaseWorkflow.NAME,
          QuickDatabaseWorkflow.NAME);

  /**
   * Registers the four workflows, their steps calling {@code client}.
   *
   * @return the registry
   * @throws IllegalArgumentException if one of the names is taken
   */
  public static WorkflowRegistry registerAll(WorkflowRegistry registry, RedisCloudClient client) {
    Objects.requireNonNull(registry, "registry must not be null");
    Objects.requireNonNull(client, "client must not be null");
    registry.register(() -> SubscriptionSetupWorkflow.create(client));
    registry.register(() -> ProvisionSubscriptionWorkflow.create(client));
    registry.register(() -> SetupAaDatabaseWorkflow.create(client));
    registry.register(() -> QuickDatabaseWorkflow.create(client));
    return registry;
  }
}
