package dev.opsflow.redis.enterprise.steps;

import dev.opsflow.redis.enterprise.client.Database;
import dev.opsflow.redis.enterprise.client.RedisEnterpriseClient;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.ValidationException;

/**
 * Checks the location against its type and credentials ({@link BackupLocation}) before any request,
 * then finds the database of a backup or restore ({@code database}: a uid or a name) and checks
 * that it is {@code active}; records its uid and its {@code last_export_time}, so the export of
 * this run is told from an earlier one. Read-only.
 */
public final class InspectBackupStep extends BackupStep {

  private final boolean restore;

  /**
   * The step, named {@code inspect-database}.
   *
   * @param clients how the step gets the client of the run's cluster
   */
  public InspectBackupStep(ClusterClientFactory clients) {
    this(clients, false);
  }

  /**
   * The step, named {@code inspect-database}; {@code restore} when the location is a restore's
   * source (a file) rather than a backup's directory.
   *
   * @param clients how the step gets the client of the run's cluster
   * @param restore true when the step inspects for a restore (the location must name a file), false
   *     for a backup (the location must name a directory)
   */
  public InspectBackupStep(ClusterClientFactory clients, boolean restore) {
    super("inspect-database", clients);
    this.restore = restore;
  }

  @Override
  public void run(StepContext ctx) {
    // The location against its type and credentials, before any request.
    BackupLocation.validate(ctx, restore);
    RedisEnterpriseClient client = client(ctx);
    Database db = resolveDatabase(client, ctx.require(OperationKeys.DATABASE), "database");
    if (!db.isActive()) {
      throw new ValidationException(
          "database " + db.uid() + " ('" + db.name() + "') is " + db.status() + ", not active");
    }
    ctx.put(RedisEnterpriseKeys.DATABASE_ID, db.uid());
    ctx.put(
        OperationKeys.EXPORT_BEFORE,
        client.databaseRaw(db.uid()).path("last_export_time").asString(""));
  }

  @Override
  public boolean readOnly() {
    return true;
  }

  @Override
  public String describe(StepContext ctx) {
    return "find the database and check it is active (GET /v1/bdbs)";
  }
}
