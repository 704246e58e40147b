package dev.opsflow.redis.enterprise.steps;

import dev.opsflow.redis.enterprise.client.Database;
import dev.opsflow.redis.enterprise.client.RedisEnterpriseClient;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.ValidationException;

/**
 * Finds the source and the target database of a migration and checks them, changing nothing: both
 * exist and are {@code active}, and they are not the same database. Read-only.
 */
public final class InspectMigrationStep extends MigrationStep {

  /**
   * The step, named {@code inspect-migration}.
   *
   * @param clients how the step gets the client of the run's cluster
   */
  public InspectMigrationStep(ClusterClientFactory clients) {
    super("inspect-migration", clients);
  }

  @Override
  public void run(StepContext ctx) {
    RedisEnterpriseClient sourceClient = client(ctx);
    RedisEnterpriseClient targetClient = targetClient(ctx);
    Database source =
        resolveDatabase(sourceClient, ctx.require(OperationKeys.SOURCE_DATABASE), "sourceDatabase");
    Database target =
        resolveDatabase(targetClient, ctx.require(OperationKeys.TARGET_DATABASE), "targetDatabase");
    if (ctx.get(OperationKeys.TARGET_URL).isEmpty() && source.uid() == target.uid()) {
      throw new ValidationException(
          "sourceDatabase and targetDatabase are the same database (" + source.uid() + ")");
    }
    for (Database db : new Database[] {source, target}) {
      if (!db.isActive()) {
        throw new ValidationException(
            "database " + db.uid() + " ('" + db.name() + "') is " + db.status() + ", not active");
      }
    }
    ctx.put(OperationKeys.SOURCE_ID, source.uid());
    ctx.put(OperationKeys.TARGET_ID, target.uid());
  }

  @Override
  public boolean readOnly() {
    return true;
  }

  @Override
  public String describe(StepContext ctx) {
    return "find and check the source and target databases (GET /v1/bdbs)";
  }
}
