package dev.opsflow.redis.enterprise.steps;

import dev.opsflow.workflow.StepContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts the import: {@code POST /v1/bdbs/{uid}/actions/import} with one {@code
 * dataset_import_sources} entry. The imported data replaces what the database holds, so there is
 * nothing to roll back to: back it up first. Skipped when an import of the database is running
 * already (a resumed run does not start a second one).
 */
public final class StartImportStep extends BackupStep {

  /**
   * The step, named {@code start-import}.
   *
   * @param clients how the step gets the client of the run's cluster
   */
  public StartImportStep(ClusterClientFactory clients) {
    super("start-import", clients);
  }

  @Override
  public Optional<String> precheck(StepContext ctx) {
    String status =
        client(ctx)
            .databaseRaw(ctx.require(RedisEnterpriseKeys.DATABASE_ID))
            .path("import_status")
            .asString("");
    return status.equals("importing") || status.equals("initializing")
        ? Optional.of("an import into the database is running: not started twice")
        : Optional.empty();
  }

  @Override
  public void run(StepContext ctx) {
    int uid = ctx.require(RedisEnterpriseKeys.DATABASE_ID);
    ctx.subTask("Importing " + displayLocation(ctx) + " into database " + uid);
    client(ctx).importDatabase(uid, Map.of("dataset_import_sources", List.of(importSource(ctx))));
  }

  @Override
  public String describe(StepContext ctx) {
    return "replace the database's data with "
        + displayLocation(ctx)
        + " (POST /v1/bdbs/{uid}/actions/import)";
  }
}
