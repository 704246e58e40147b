package dev.opsflow.redis.cloud.steps;

import dev.opsflow.redis.cloud.client.Database;
import dev.opsflow.redis.cloud.client.FixedDatabaseCreateRequest;
import dev.opsflow.redis.cloud.client.RedisCloudClient;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.StepContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the Essentials database named {@link CloudKeys#DATABASE_NAME} in the subscription, or
 * creates it ({@code POST /fixed/subscriptions/{id}/databases}) once the subscription is active.
 * On rollback it deletes the database only when this run created it.
 */
public final class EnsureEssentialsDatabaseStep implements Step {
  private final RedisCloudClient client;

  /** A step using {@code client}. */
  public EnsureEssentialsDatabaseStep(RedisCloudClient client) {
    this.client = client;
  }

  @Override
  public String name() {
    return "ensure-essentials-database";
  }

  @Override
  public Optional<String> precheck(StepContext ctx) {
    Optional<Long> sub = ctx.get(CloudKeys.SUBSCRIPTION_ID);
    if (sub.isEmpty()) {
      return Optional.empty();
    }
    String wanted = ctx.require(CloudKeys.DATABASE_NAME);
    return find(sub.get(), wanted).map(db -> {
      ctx.put(CloudKeys.DATABASE_IDS, Map.of(wanted, db.databaseId()));
      return "database '" + wanted + "' exists (id " + db.databaseId() + ")";
    });
  }

  @Override
  public void run(StepContext ctx) {
    long sub = ctx.require(CloudKeys.SUBSCRIPTION_ID);
    String wanted = ctx.require(CloudKeys.DATABASE_NAME);
    client.awaitFixedSubscriptionActive(ctx, sub);
    ctx.subTask("Creating database '" + wanted + "'...");
    long id = client.awaitResourceId(ctx, client.createFixedDatabase(sub,
        FixedDatabaseCreateRequest.named(wanted)));
    ctx.put(CloudKeys.DATABASE_IDS, Map.of(wanted, id));
    ctx.put(CloudKeys.CREATED_DATABASES, List.of(id));
  }

  @Override
  public boolean hasCompensation() {
    return true;
  }

  @Override
  public void compensate(StepContext ctx) {
    long sub = ctx.require(CloudKeys.SUBSCRIPTION_ID);
    for (long id : ctx.get(CloudKeys.CREATED_DATABASES).orElse(List.of())) {
      client.awaitTask(ctx, client.deleteFixedDatabase(sub, id).taskId());
    }
  }

  @Override
  public String describe(StepContext ctx) {
    return "create Essentials database '" + ctx.get(CloudKeys.DATABASE_NAME).orElse("?") + "'";
  }

  private Optional<Database> find(long sub, String wanted) {
    return client.fixedDatabases(sub).stream().filter(d -> wanted.equals(d.name())).findFirst();
  }
}
