package dev.opsflow.redis.enterprise.steps;

import dev.opsflow.workflow.StepContext;
import java.util.Map;
import java.util.Optional;

/**
 * Starts the export: {@code POST /v1/bdbs/{uid}/actions/export} with {@code export_location}.
 * Skipped when an export of the database is running already (a resumed run does not start a second
 * one). The export only adds a file; nothing to undo.
 */
public final class StartExportStep extends BackupStep {

  /**
   * The step, named {@code start-export}.
   *
   * @param clients how the step gets the client of the run's cluster
   */
  public StartExportStep(ClusterClientFactory clients) {
    super("start-export", clients);
  }

  @Override
  public Optional<String> precheck(StepContext ctx) {
    String status =
        client(ctx)
            .databaseRaw(ctx.require(RedisEnterpriseKeys.DATABASE_ID))
            .path("export_status")
            .asString("");
    return status.equals("exporting")
        ? Optional.of("an export of the database is running: not started twice")
        : Optional.empty();
  }

  @Override
  public void run(StepContext ctx) {
    int uid = ctx.require(RedisEnterpriseKeys.DATABASE_ID);
    ctx.subTask("Exporting database " + uid + " to " + displayLocation(ctx));
    client(ctx).exportDatabase(uid, Map.of("export_location", location(ctx)));
  }

  @Override
  public String describe(StepContext ctx) {
    return "export the database to "
        + displayLocation(ctx)
        + " (POST /v1/bdbs/{uid}/actions/export)";
  }
}
