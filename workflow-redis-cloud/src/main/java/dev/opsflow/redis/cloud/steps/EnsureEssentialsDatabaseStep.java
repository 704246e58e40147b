package dev.opsflow.redis.cloud.steps;

import dev.opsflow.redis.cloud.client.Database;
import dev.opsflow.redis.cloud.client.FixedDatabaseCreateRequest;
import dev.opsflow.redis.cloud.client.RedisCloudClient;
import dev.opsflow.workflow.Key;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.StepContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the Essentials database named {@link CloudKeys#DATABASE_NAME} in the subscription, or
 * creates it ({@code POST /fixed/subscriptions/{id}/databases}, with {@code enableTls} when {@link
 * CloudKeys#ENABLE_TLS} is given) once the subscription is active. On rollback it deletes the
 * database only when this run created it.
 */
public final class EnsureEssentialsDatabaseStep implements Step {
  private final RedisCloudClient client;
  private final Key<String> fallbackName;

  /**
   * A step using {@code client}; the database is named by {@link CloudKeys#DATABASE_NAME}, or by
   * {@code fallbackName} when that is absent.
   *
   * @param client the Redis Cloud client the step calls
   * @param fallbackName the key of the name to use when no database name is given
   */
  public EnsureEssentialsDatabaseStep(RedisCloudClient client, Key<String> fallbackName) {
    this.client = client;
    this.fallbackName = fallbackName;
  }

  private String wanted(StepContext ctx) {
    return ctx.get(CloudKeys.DATABASE_NAME)
        .filter(n -> !n.isBlank())
        .orElseGet(() -> ctx.require(fallbackName));
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
    String wanted = wanted(ctx);
    return find(sub.get(), wanted)
        .map(
            db -> {
              ctx.put(CloudKeys.DATABASE_IDS, Map.of(wanted, db.databaseId()));
              return "database '" + wanted + "' exists (id " + db.databaseId() + ")";
            });
  }

  @Override
  public void run(StepContext ctx) {
    long sub = ctx.require(CloudKeys.SUBSCRIPTION_ID);
    String wanted = wanted(ctx);
    client.awaitFixedSubscriptionActive(ctx, sub);
    ctx.subTask("Creating database '" + wanted + "'...");
    long id =
        client.awaitResourceId(
            ctx,
            client.createFixedDatabase(
                sub,
                FixedDatabaseCreateRequest.named(wanted)
                    .withEnableTls(ctx.get(CloudKeys.ENABLE_TLS).orElse(null))));
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
    // Number: a resumed run reads the ids back from JSON, perhaps as Integers.
    for (Number id : ctx.get(CloudKeys.CREATED_DATABASES).orElse(List.of())) {
      client.awaitTask(ctx, client.deleteFixedDatabase(sub, id.longValue()).taskId());
    }
  }

  @Override
  public String describe(StepContext ctx) {
    return "create Essentials database '"
        + ctx.get(CloudKeys.DATABASE_NAME).orElseGet(() -> ctx.get(fallbackName).orElse("?"))
        + "'";
  }

  private Optional<Database> find(long sub, String wanted) {
    return client.fixedDatabases(sub).stream().filter(d -> wanted.equals(d.name())).findFirst();
  }
}
