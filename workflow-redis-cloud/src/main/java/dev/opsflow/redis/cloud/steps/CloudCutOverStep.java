package dev.opsflow.redis.cloud.steps;

import dev.opsflow.redis.cloud.client.RedisCloudClient;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.resp.RespConnection;
import java.util.LinkedHashMap;
import java.util.Optional;

/**
 * With {@code cutOver}: records the cut-over point (the source's {@code DBSIZE} and {@code
 * master_repl_offset}, the time), then ends the sync ({@code syncSources: []}); the target keeps
 * the data and takes writes. Output {@code cut_over}. Skipped without {@code cutOver}, or when the
 * target no longer syncs from the source (a resumed run).
 */
public final class CloudCutOverStep implements Step {
  private final RedisCloudClient client;

  /**
   * A step using {@code client}.
   *
   * @param client the Redis Cloud client the step calls
   */
  public CloudCutOverStep(RedisCloudClient client) {
    this.client = client;
  }

  @Override
  public String name() {
    return "cut-over";
  }

  @Override
  public Optional<String> precheck(StepContext ctx) {
    if (!ctx.get(MigrationKeys.CUT_OVER).orElse(false)) {
      return Optional.of("cutOver not asked: the sync keeps running");
    }
    if (ctx.isDryRun()) {
      return Optional.empty();
    }
    String source = ctx.require(MigrationKeys.SOURCE_ENDPOINT);
    return MigrationData.target(client, ctx).replicaOrNone().hasSource(source)
        ? Optional.empty()
        : Optional.of("the target no longer syncs from " + source);
  }

  @Override
  public void run(StepContext ctx) {
    var point = new LinkedHashMap<String, Object>();
    point.put("time", ctx.clock().instant().toString());
    try (RespConnection source = MigrationData.source(ctx)) {
      point.put("source_keys", source.number("DBSIZE"));
      String info = source.text("INFO", "replication");
      info.lines()
          .filter(l -> l.startsWith("master_repl_offset:"))
          .findFirst()
          .ifPresent(l -> point.put("source_repl_offset", Long.parseLong(l.substring(19).strip())));
    }
    long sub = ctx.require(CloudKeys.SUBSCRIPTION_ID);
    long id = ctx.require(MigrationKeys.DATABASE_ID);
    ctx.subTask("Ending the sync of database " + id + " (cut-over)");
    StartCloudSyncStep.StopSync.stop(client, ctx, sub, id);
    ctx.output("cut_over", point);
  }

  @Override
  public String describe(StepContext ctx) {
    return "record the source's key count and replication offset, then end the sync";
  }
}
