package dev.opsflow.redis.cloud.workflows;

import dev.opsflow.redis.cloud.client.RedisCloudClient;
import dev.opsflow.workflow.WorkflowRegistry;
import dev.opsflow.workflow.http.TlsTrust;
import java.util.List;
import java.util.Objects;

/**
 * The Redis Cloud workflows by name: {@code subscription-setup}, {@code provision-subscription},
 * {@code setup-aa-database}, {@code quick-database} and {@code migrate-database-to-cloud}.
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
          QuickDatabaseWorkflow.NAME,
          MigrateToCloudWorkflow.NAME);

  /**
   * Registers the workflows, their steps calling {@code client}.
   *
   * @param registry the registry to add the workflows to
   * @param client the Redis Cloud client the step calls
   * @return the registry
   * @throws IllegalArgumentException if one of the names is taken
   */
  public static WorkflowRegistry registerAll(WorkflowRegistry registry, RedisCloudClient client) {
    return registerAll(registry, client, TlsTrust.system());
  }

  /**
   * Registers the workflows, their steps calling {@code client}, their connectivity check of a
   * database with TLS ({@code enableTls}) trusting {@code databaseTrust}: {@link TlsTrust#system()}
   * (the JVM's trust store, the default), or the database's CA with {@link TlsTrust#pemFile} or
   * {@link TlsTrust#pem}. The certificate must also name the endpoint's host. {@link
   * TlsTrust#trustAll()} is for test systems only and logged as a WARN at each check.
   *
   * <pre>{@code
   * RedisCloudWorkflows.registerAll(registry, client, TlsTrust.pemFile(Path.of("redis_ca.pem")));
   * }</pre>
   *
   * @param registry the registry to add the workflows to
   * @param client the Redis Cloud client the step calls
   * @param databaseTrust which certificates a TLS database's endpoint may present to the
   *     connectivity check
   * @return the registry
   * @throws IllegalArgumentException if one of the names is taken
   */
  public static WorkflowRegistry registerAll(
      WorkflowRegistry registry, RedisCloudClient client, TlsTrust databaseTrust) {
    Objects.requireNonNull(registry, "registry must not be null");
    Objects.requireNonNull(client, "client must not be null");
    Objects.requireNonNull(databaseTrust, "databaseTrust must not be null");
    registry.register(() -> SubscriptionSetupWorkflow.create(client, databaseTrust));
    registry.register(() -> ProvisionSubscriptionWorkflow.create(client, databaseTrust));
    registry.register(() -> SetupAaDatabaseWorkflow.create(client, databaseTrust));
    registry.register(() -> QuickDatabaseWorkflow.create(client, databaseTrust));
    registry.register(() -> MigrateToCloudWorkflow.create(client, databaseTrust));
    return registry;
  }
}
