package dev.opsflow.redis.enterprise.steps;

import dev.opsflow.redis.enterprise.client.Database;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.resp.RespConnection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * With {@code cutOver}, stops the sync ({@code PUT /v1/bdbs/{target}}: {@code replica_sync:
 * disabled}, no sources) and reports the cut-over point: when, the source's key count and its
 * replication offset ({@code master_repl_offset} of its {@code INFO replication}) just before the
 * sync stopped; clients move to the target from there. The source is never changed. Skipped without
 * {@code cutOver} (the sync keeps running).
 */
public final class CutOverStep extends MigrationStep {

  /**
   * The step, named {@code cut-over}.
   *
   * @param clients how the step gets the client of the run's cluster
   */
  public CutOverStep(ClusterClientFactory clients) {
    super("cut-over", clients);
  }

  @Override
  public Optional<String> precheck(StepContext ctx) {
    return ctx.get(OperationKeys.CUT_OVER).orElse(false)
        ? Optional.empty()
        : Optional.of("cutOver not asked: the target keeps syncing from the source");
  }

  @Override
  public void run(StepContext ctx) {
    var sourceClient = client(ctx);
    Database source = sourceClient.database(ctx.require(OperationKeys.SOURCE_ID));
    int target = ctx.require(OperationKeys.TARGET_ID);
    var point = new LinkedHashMap<String, Object>();
    try (RespConnection redis = DataChecks.connect(sourceClient, source)) {
      point.put("source_keys", redis.number("DBSIZE"));
      String info = redis.text("INFO", "replication");
      info.lines()
          .filter(l -> l.startsWith("master_repl_offset:"))
          .findFirst()
          .ifPresent(l -> point.put("source_repl_offset", Long.parseLong(l.substring(19).trim())));
    }
    ctx.subTask("Stopping the sync into database " + target);
    targetClient(ctx)
        .updateDatabase(target, Map.of("replica_sync", "disabled", "replica_sources", List.of()));
    ctx.put(OperationKeys.SYNC_STARTED, false);
    point.put("time", ctx.clock().instant().toString());
    ctx.output("cut_over", point);
  }

  @Override
  public String describe(StepContext ctx) {
    return "stop the sync and report the cut-over point (PUT /v1/bdbs/{uid}: replica_sync"
        + " disabled)";
  }
}
