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

  /**
   * A backup step named {@code name}.
   *
   * @param name the step's name
   * @param clients how the step gets the client of the run's cluster
   */
  protected BackupStep(String name, ClusterClientFactory clients) {
    super(name, clients);
  }

  /**
   * The database of this run, as recorded by {@link InspectBackupStep}.
   *
   * @param ctx the step's context
   * @param client the client of the database's cluster
   * @return the database, read now
   */
  protected static Database database(StepContext ctx, RedisEnterpriseClient client) {
    return client.database(ctx.require(RedisEnterpriseKeys.DATABASE_ID));
  }

  /**
   * The location object, with the SFTP key read now.
   *
   * @param ctx the step's context
   * @return the location as the export or import request takes it
   */
  protected static Map<String, Object> location(StepContext ctx) {
    return BackupLocation.toApi(ctx, false);
  }

  /**
   * The import source object, its credentials read now.
   *
   * @param ctx the step's context, holding the run's location type, location and credentials
   * @return the source as the import request takes it in {@code dataset_import_sources} (for S3,
   *     the bucket, subdirectory and file name apart), credentials in clear: send it, never log it
   * @throws dev.opsflow.workflow.WorkflowException of kind CONFIGURATION if the SFTP key file
   *     cannot be read
   */
  protected static Map<String, Object> importSource(StepContext ctx) {
    return BackupLocation.toApi(ctx, true);
  }

  /**
   * Where, without any secret: the path, or the SFTP URL without its password.
   *
   * @param ctx the step's context
   * @return the location, fit for messages and results
   */
  protected static String displayLocation(StepContext ctx) {
    return BackupLocation.display(ctx);
  }
}
