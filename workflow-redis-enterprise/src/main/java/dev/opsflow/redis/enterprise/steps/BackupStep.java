package dev.opsflow.redis.enterprise.steps;

import dev.opsflow.redis.enterprise.client.Database;
import dev.opsflow.redis.enterprise.client.RedisEnterpriseClient;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.ValidationException;
import dev.opsflow.workflow.WorkflowException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The base of the backup-database and restore-database steps: the database they work on and the
 * location object the API takes ({@code export_location} or one of {@code dataset_import_sources}):
 * {@code {"type": "mount_point", "path"}} or {@code {"type": "sftp", "sftp_url", "key"}}, the key
 * read from {@code sftpKeyFile} when sent and never stored.
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
    String type = ctx.get(OperationKeys.LOCATION_TYPE).orElse("mount_point");
    String where = ctx.require(OperationKeys.LOCATION);
    var location = new LinkedHashMap<String, Object>();
    location.put("type", type);
    if (type.equals("mount_point")) {
      location.put("path", where);
      return location;
    }
    location.put("sftp_url", where);
    Path keyFile =
        ctx.get(OperationKeys.SFTP_KEY_FILE)
            .orElseThrow(
                () -> new ValidationException("sftpKeyFile is required with locationType=sftp"));
    try {
      location.put("key", Files.readString(keyFile));
    } catch (IOException e) {
      throw new WorkflowException(
          ErrorKind.CONFIGURATION, "sftpKeyFile '" + keyFile + "' cannot be read", e);
    }
    return location;
  }

  /**
   * Where, without any secret: the path, or the SFTP URL without its password.
   *
   * @param ctx the step's context
   * @return the location, fit for messages and results
   */
  protected static String displayLocation(StepContext ctx) {
    return ctx.get(OperationKeys.LOCATION_TYPE).orElse("mount_point")
        + " "
        + ctx.get(OperationKeys.LOCATION)
            .orElse("?")
            .replaceFirst("://([^:@/]*):[^@/]*@", "://$1:****@");
  }
}
