package dev.opsflow.redis.enterprise.steps;

import dev.opsflow.redis.enterprise.client.Database;
import dev.opsflow.redis.enterprise.client.RedisEnterpriseClient;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.StepContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Makes the target a Replica Of the source: {@code PUT /v1/bdbs/{target}} with {@code
 * replica_sources: [{uri}]} and {@code replica_sync: enabled}. Skipped when the target already
 * syncs from that source (a resumed or repeated run never starts a second sync). On rollback it
 * stops the sync it started ({@code replica_sync: disabled}, no sources); the source is never
 * changed.
 */
public final class StartReplicaSyncStep extends MigrationStep {

  /**
   * The step, named {@code start-sync}.
   *
   * @param clients how the step gets the client of the run's cluster
   */
  public StartReplicaSyncStep(ClusterClientFactory clients) {
    super("start-sync", clients);
  }

  @Override
  public Optional<String> precheck(StepContext ctx) {
    int target = ctx.require(OperationKeys.TARGET_ID);
    JsonNode state = replicaState(targetClient(ctx), target);
    Database source = client(ctx).database(ctx.require(OperationKeys.SOURCE_ID));
    Secret uri = sourceUri(client(ctx), source);
    JsonNode sources = state.get("replica_sources");
    boolean syncing =
        "enabled".equals(state.path("replica_sync").asString(""))
            && sources != null
            && sources.isArray()
            && !sources.isEmpty()
            && sameEndpoint(sources.get(0).path("uri").asString(null), uri);
    return syncing
        ? Optional.of("database " + target + " already syncs from the source: not started twice")
        : Optional.empty();
  }

  @Override
  public void run(StepContext ctx) {
    int target = ctx.require(OperationKeys.TARGET_ID);
    Database source = client(ctx).database(ctx.require(OperationKeys.SOURCE_ID));
    Secret uri = sourceUri(client(ctx), source);
    ctx.subTask("Making database " + target + " a Replica Of database " + source.uid());
    targetClient(ctx)
        .updateDatabase(
            target,
            Map.of(
                "replica_sources",
                List.of(Map.of("uri", uri.reveal())),
                "replica_sync",
                "enabled"));
    ctx.put(OperationKeys.SYNC_STARTED, true);
  }

  @Override
  public boolean hasCompensation() {
    return true;
  }

  /** Stops the sync this run started; the target keeps what it copied, the source is untouched. */
  @Override
  public void compensate(StepContext ctx) {
    if (!ctx.get(OperationKeys.SYNC_STARTED).orElse(false)) {
      return;
    }
    int target = ctx.require(OperationKeys.TARGET_ID);
    ctx.subTask("Stopping the sync into database " + target);
    RedisEnterpriseClient client = targetClient(ctx);
    client.updateDatabase(target, Map.of("replica_sync", "disabled", "replica_sources", List.of()));
    ctx.put(OperationKeys.SYNC_STARTED, false);
  }

  @Override
  public String describe(StepContext ctx) {
    return "make database "
        + ctx.get(OperationKeys.TARGET_ID).map(String::valueOf).orElse("(target)")
        + " a Replica Of database "
        + ctx.get(OperationKeys.SOURCE_ID).map(String::valueOf).orElse("(source)")
        + " (PUT /v1/bdbs/{uid}: replica_sources, replica_sync enabled)";
  }
}
