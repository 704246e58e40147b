package dev.opsflow.redis.enterprise.steps;

import dev.opsflow.redis.enterprise.client.Database;
import dev.opsflow.redis.enterprise.client.RedisEnterpriseClient;
import dev.opsflow.workflow.StepContext;
import java.util.Map;

/**
 * The base of the backup-database and restore-database steps: the database they work on and the
 * location object the API takes ({@code export_location} or one of {@code dataset_import_sources}):
 * mount point, SFTP, FTP or S3 (see {@link BackupLocation}), its credentials read when sent and
 * never stored.
 */
public abstract class BackupStep extends ClusterStep {

  protected BackupStep(String name, ClusterClientFactory clients) {
    super(name, clients);
  }

  /** The database of this run, as recorded by {@link InspectBackupStep}. */
  protected static Database database(StepContext ctx, RedisEnterpriseClient client) {
    return client.database(ctx.require(RedisEnterpriseKeys.DATABASE_ID));
  }

  /** The location object, its credentials read now (see {@link BackupLocation}). */
  protected static Map<String, Object> location(StepContext ctx) {
    return BackupLocation.toApi(ctx, false);
  }

  /** The import source object, its credentials read now. */
  protected static Map<String, Object> importSource(StepContext ctx) {
    return BackupLocation.toApi(ctx, true);
  }

  /** Where, without any secret: the type and the location (which holds none). */
  protected static String displayLocation(StepContext ctx) {
    return BackupLocation.display(ctx);
  }
}
