package dev.opsflow.redis.cloud.steps;

import dev.opsflow.redis.cloud.client.Database;
import dev.opsflow.redis.cloud.client.RedisCloudClient;
import dev.opsflow.redis.cloud.client.Task;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.StepContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Makes the target a Replica Of the source: {@code PUT /subscriptions/{id}/databases/{id}} with
 * {@code {"replica": {"syncSources": [{"endpoint": "redis://user:password@host:port"}]}}} (the
 * OpenAPI's {@code ReplicaOfSpec}; the deprecated {@code replicaOf} list is not used), then the
 * task and the database awaited until {@code active}. The URI is built when sent and never stored.
 * Skipped when the target already syncs from that endpoint (a resumed or repeated run starts no
 * second sync). Compensation, only for a sync this run started: {@code syncSources: []}, which ends
 * it and leaves the target with the data it has.
 */
public final class StartCloudSyncStep implements Step {
  private final RedisCloudClient client;

  /**
   * A step using {@code client}.
   *
   * @param client the Redis Cloud client the step calls
   */
  public StartCloudSyncStep(RedisCloudClient client) {
    this.client = client;
  }

  @Override
  public String name() {
    return "start-sync";
  }

  @Override
  public Optional<String> precheck(StepContext ctx) {
    String source = ctx.require(MigrationKeys.SOURCE_ENDPOINT);
    Database target = MigrationData.target(client, ctx);
    return target.replicaOrNone().hasSource(source)
        ? Optional.of("database " + target.databaseId() + " already syncs from " + source)
        : Optional.empty();
  }

  @Override
  public void run(StepContext ctx) {
    long sub = ctx.require(CloudKeys.SUBSCRIPTION_ID);
    long id = ctx.require(MigrationKeys.DATABASE_ID);
    ctx.subTask(
        "Making database " + id + " a Replica Of " + ctx.require(MigrationKeys.SOURCE_ENDPOINT));
    Task task =
        client.updateDatabase(
            sub,
            id,
            Map.of(
                "replica",
                Map.of("syncSources", List.of(Map.of("endpoint", MigrationData.sourceUri(ctx))))));
    ctx.put(MigrationKeys.SYNC_STARTED, true);
    client.awaitTask(ctx, task.taskId());
    client.awaitDatabaseActive(ctx, sub, id);
  }

  @Override
  public boolean hasCompensation() {
    return true;
  }

  @Override
  public void compensate(StepContext ctx) {
    if (!ctx.get(MigrationKeys.SYNC_STARTED).orElse(false)) {
      return;
    }
    long sub = ctx.require(CloudKeys.SUBSCRIPTION_ID);
    long id = ctx.require(MigrationKeys.DATABASE_ID);
    ctx.subTask("Ending the sync of database " + id);
    StopSync.stop(client, ctx, sub, id);
  }

  @Override
  public String describe(StepContext ctx) {
    return "PUT database "
        + ctx.get(MigrationKeys.DATABASE_ID).map(String::valueOf).orElse("?")
        + " with replica.syncSources [redis://****@"
        + ctx.get(MigrationKeys.SOURCE_ENDPOINT).orElse("?")
        + "]";
  }

  /** Ends a database's sync: {@code syncSources: []}, then the task and {@code active}. */
  static final class StopSync {
    private StopSync() {}

    static void stop(RedisCloudClient client, StepContext ctx, long sub, long id) {
      Task task =
          client.updateDatabase(sub, id, Map.of("replica", Map.of("syncSources", List.of())));
      client.awaitTask(ctx, task.taskId());
      client.awaitDatabaseActive(ctx, sub, id);
    }
  }
}
