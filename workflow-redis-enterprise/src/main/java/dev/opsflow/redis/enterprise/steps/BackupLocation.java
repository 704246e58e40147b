package dev.opsflow.redis.enterprise.steps;

import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.ValidationException;
import dev.opsflow.workflow.WorkflowException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a backup goes or a restore comes from, as the API's {@code export_location} and {@code
 * dataset_import_sources} objects take it (the bdb object's {@code backup_location}): {@code
 * mount_point} ({@code path}), {@code sftp} ({@code sftp_url}, {@code key}), FTP ({@code type:
 * url}, {@code url: ftp://user:password@host:port/path/}) and {@code s3} ({@code bucket_name},
 * {@code subdir}, {@code access_key_id}, {@code secret_access_key}, {@code region_name}; an import
 * adds {@code filename}). The workflow's {@code location} never holds a credential: the FTP
 * password, the S3 keys and the SFTP key come from their own inputs and are put into the object
 * only when it is sent. Stateless.
 */
public final class BackupLocation {
  /** The location types offered. */
  public static final List<String> TYPES = List.of("mount_point", "sftp", "ftp", "s3");

  private static final Pattern FTP =
      Pattern.compile("ftp://(?:([A-Za-z0-9._~-]+)@)?([A-Za-z0-9.-]+)(:\\d{1,5})?(/[^\\s@]*)");
  private static final Pattern S3 =
      Pattern.compile("s3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(/[^\\s]*)?");

  private BackupLocation() {}

  /**
   * Whether a {@code location} value has a shape some type takes and carries no password. It does
   * not look at the location type; {@code validate} checks the value against it before a request.
   *
   * @param location the workflow's {@code location} input as given, not null: an absolute path, or
   *     an {@code sftp://}, {@code ftp://} or {@code s3://} URL
   * @return true for an absolute path, an {@code sftp://} URL without a password, an {@code
   *     ftp://[user@]host[:port]/path} URL or an {@code s3://bucket[/path]} URL; false for anything
   *     else, including any URL with a password in it
   */
  public static boolean plausible(String location) {
    return location.startsWith("/")
        || location.startsWith("sftp://") && !location.matches("sftp://[^/@]*:[^/@]*@.*")
        || FTP.matcher(location).matches()
        || S3.matcher(location).matches();
  }

  /**
   * Checks the location against its type and the credentials it needs, before any request: every
   * problem in one {@link ValidationException}, never with a credential in it.
   *
   * @param importing whether it is a restore's source (a file) rather than a backup's directory
   */
  static void validate(StepContext ctx, boolean importing) {
    String type = ctx.get(OperationKeys.LOCATION_TYPE).orElse("mount_point");
    String where = ctx.require(OperationKeys.LOCATION);
    var problems = new ArrayList<String>();
    String file = importing ? "a file" : "a directory (ending with /)";
    switch (type) {
      case "mount_point" -> {
        if (!where.startsWith("/")) {
          problems.add("location must be an absolute path on every node for mount_point");
        }
      }
      case "sftp" -> {
        if (!where.startsWith("sftp://")) {
          problems.add("location must be sftp://user@host[:port]/path for sftp");
        }
        if (ctx.get(OperationKeys.SFTP_KEY_FILE).isEmpty()) {
          problems.add("sftpKeyFile is required with locationType=sftp");
        }
      }
      case "ftp" -> {
        Matcher m = FTP.matcher(where);
        if (!m.matches()) {
          problems.add(
              "location must be ftp://[user@]host[:port]/path for ftp (the password goes in"
                  + " ftpPassword, never in the URL)");
        } else if (importing == m.group(4).endsWith("/")) {
          problems.add("location must name " + file + " for ftp");
        } else if (ctx.get(OperationKeys.FTP_PASSWORD).isPresent() && m.group(1) == null) {
          problems.add("ftpPassword needs a user in the location: ftp://user@host/path");
        }
      }
      case "s3" -> {
        Matcher m = S3.matcher(where);
        if (!m.matches()) {
          problems.add(
              "location must be s3://bucket[/subdir]/"
                  + (importing ? "file" : "")
                  + " for s3, with a bucket name of 3-63 lowercase letters, digits, dots and"
                  + " dashes");
        } else if (importing == (m.group(2) == null || m.group(2).endsWith("/"))) {
          problems.add("location must name " + file + " in the bucket for s3");
        }
        if (ctx.get(OperationKeys.S3_ACCESS_KEY_ID).isEmpty()
            || ctx.get(OperationKeys.S3_SECRET_ACCESS_KEY).isEmpty()) {
          problems.add("s3AccessKeyId and s3SecretAccessKey are required with locationType=s3");
        }
      }
      default -> problems.add("locationType must be one of " + TYPES + ", was '" + type + "'");
    }
    if (!problems.isEmpty()) {
      throw new ValidationException(problems);
    }
  }

  /** The API's location object, credentials read now (the SFTP key from its file). */
  static Map<String, Object> toApi(StepContext ctx, boolean importing) {
    String type = ctx.get(OperationKeys.LOCATION_TYPE).orElse("mount_point");
    String where = ctx.require(OperationKeys.LOCATION);
    var location = new LinkedHashMap<String, Object>();
    switch (type) {
      case "mount_point" -> {
        location.put("type", "mount_point");
        location.put("path", where);
      }
      case "sftp" -> {
        location.put("type", "sftp");
        location.put("sftp_url", where);
        location.put("key", readKey(ctx.require(OperationKeys.SFTP_KEY_FILE)));
      }
      case "ftp" -> {
        Matcher m = FTP.matcher(where);
        if (!m.matches()) {
          throw new ValidationException("location is not an ftp:// URL");
        }
        String password = ctx.get(OperationKeys.FTP_PASSWORD).map(Secret::reveal).orElse(null);
        String user =
            m.group(1) == null ? "" : m.group(1) + (password == null ? "" : ":" + password) + "@";
        location.put("type", "url");
        location.put(
            "url",
            "ftp://" + user + m.group(2) + (m.group(3) == null ? "" : m.group(3)) + m.group(4));
      }
      case "s3" -> {
        Matcher m = S3.matcher(where);
        if (!m.matches()) {
          throw new ValidationException("location is not an s3:// URL");
        }
        String path = m.group(2) == null ? "" : m.group(2).substring(1);
        String subdir = importing ? path.substring(0, Math.max(0, path.lastIndexOf('/'))) : path;
        subdir = subdir.endsWith("/") ? subdir.substring(0, subdir.length() - 1) : subdir;
        location.put("type", "s3");
        location.put("bucket_name", m.group(1));
        if (!subdir.isEmpty()) {
          location.put("subdir", subdir);
        }
        if (importing) {
          location.put("filename", path.substring(path.lastIndexOf('/') + 1));
        }
        location.put("access_key_id", ctx.require(OperationKeys.S3_ACCESS_KEY_ID).reveal());
        location.put("secret_access_key", ctx.require(OperationKeys.S3_SECRET_ACCESS_KEY).reveal());
        ctx.get(OperationKeys.S3_REGION).ifPresent(r -> location.put("region_name", r));
      }
      default -> throw new ValidationException("locationType '" + type + "' is not offered");
    }
    return location;
  }

  /** Where, without any secret: the type and the location as given (it holds none). */
  static String display(StepContext ctx) {
    return ctx.get(OperationKeys.LOCATION_TYPE).orElse("mount_point")
        + " "
        + ctx.get(OperationKeys.LOCATION)
            .orElse("?")
            .replaceFirst("://([^:@/]*):[^@/]*@", "://$1:****@");
  }

  private static String readKey(Path keyFile) {
    try {
      return Files.readString(keyFile);
    } catch (IOException e) {
      throw new WorkflowException(
          ErrorKind.CONFIGURATION, "sftpKeyFile '" + keyFile + "' cannot be read", e);
    }
  }
}
