package dev.opsflow.redis.cloud.steps;

import dev.opsflow.redis.cloud.client.Database;
import dev.opsflow.redis.cloud.client.FixedSubscription;
import dev.opsflow.redis.cloud.client.FixedSubscriptionCreateRequest;
import dev.opsflow.redis.cloud.client.RedisCloudClient;
import dev.opsflow.workflow.Key;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.StepContext;
import java.util.Optional;

/**
 * Finds the Essentials subscription of the given name (after the creations in flight finish) or
 * creates it on the chosen plan ({@code POST /fixed/subscriptions}), then waits for it to be {@code
 * active}. On rollback it deletes the subscription (its databases first) only when this run created
 * it.
 */
public final class EnsureEssentialsSubscriptionStep implements Step {
  private final RedisCloudClient client;
  private final Key<String> name;

  /**
   * A step using {@code client}, the subscription's name read from {@code name}.
   *
   * @param client the Redis Cloud client the step calls
   * @param name the key of the subscription's name
   */
  public EnsureEssentialsSubscriptionStep(RedisCloudClient client, Key<String> name) {
    this.client = client;
    this.name = name;
  }

  @Override
  public String name() {
    return "ensure-essentials-subscription";
  }

  @Override
  public Optional<String> precheck(StepContext ctx) {
    String wanted = ctx.require(name);
    client.awaitTasksInFlight(ctx, "fixedSubscriptionCreateRequest");
    return client.fixedSubscriptions().stream()
        .filter(s -> wanted.equals(s.name()))
        .findFirst()
        .map(
            s -> {
              ctx.put(CloudKeys.SUBSCRIPTION_ID, s.id());
              ctx.output("subscriptionId", s.id());
              return "Essentials subscription '" + wanted + "' exists (id " + s.id() + ")";
            });
  }

  @Override
  public void run(StepContext ctx) {
    String wanted = ctx.require(name);
    ctx.subTask("Creating Essentials subscription '" + wanted + "'...");
    long id =
        client.awaitResourceId(
            ctx,
            client.createFixedSubscription(
                new FixedSubscriptionCreateRequest(
                    wanted, ctx.require(CloudKeys.PLAN_ID), null, null)));
    ctx.put(CloudKeys.SUBSCRIPTION_ID, id);
    ctx.put(CloudKeys.SUBSCRIPTION_CREATED, true);
    ctx.output("subscriptionId", id);
    FixedSubscription active = client.awaitFixedSubscriptionActive(ctx, id);
    ctx.output("subscriptionStatus", active.status());
  }

  @Override
  public boolean hasCompensation() {
    return true;
  }

  @Override
  public void compensate(StepContext ctx) {
    if (!ctx.get(CloudKeys.SUBSCRIPTION_CREATED).orElse(false)) {
      return;
    }
    long id = ctx.require(CloudKeys.SUBSCRIPTION_ID);
    for (Database db : client.fixedDatabases(id)) {
      client.awaitTask(ctx, client.deleteFixedDatabase(id, db.databaseId()).taskId());
    }
    client.awaitTask(ctx, client.deleteFixedSubscription(id).taskId());
  }

  @Override
  public String describe(StepContext ctx) {
    return "create Essentials subscription '"
        + ctx.get(name).orElse("?")
        + "' on plan "
        + ctx.get(CloudKeys.PLAN_ID).map(String::valueOf).orElse("(free)");
  }
}
