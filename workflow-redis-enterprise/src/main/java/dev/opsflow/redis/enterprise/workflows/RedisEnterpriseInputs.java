package dev.opsflow.redis.enterprise.workflows;

import dev.opsflow.redis.enterprise.client.CreateDatabaseRequest;
import dev.opsflow.redis.enterprise.steps.ApplyClusterSettingsStep;
import dev.opsflow.redis.enterprise.steps.BackupLocation;
import dev.opsflow.redis.enterprise.steps.ClusterStep;
import dev.opsflow.redis.enterprise.steps.CreateDatabaseStep;
import dev.opsflow.redis.enterprise.steps.OperationKeys;
import dev.opsflow.redis.enterprise.steps.RedisEnterpriseKeys;
import dev.opsflow.workflow.Input;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.Workflow;
import java.util.Set;

/**
 * The declared inputs of the Redis Enterprise workflows, checked before any step runs: a bad value
 * is a validation error naming the input, the value (unless secret) and what it expects.
 */
public final class RedisEnterpriseInputs {
  /** The API URL when none is given. */
  public static final String DEFAULT_URL = "https://localhost:9443";

  /** The cluster name when none is given (redisctl's default). */
  public static final String DEFAULT_CLUSTER_NAME = "redis-cluster";

  /** The database name when none is given. */
  public static final String DEFAULT_DATABASE_NAME = "default-db";

  private static final Set<String> PERSISTENCE = Set.of("disabled", "aof", "snapshot");

  /** What a REST API URL input expects. */
  static final String URL_EXPECTED =
      "an http(s) URL with a host and optional port, such as https://cluster:9443";

  /** What a Redis version input expects. */
  static final String VERSION_EXPECTED =
      "a version as MAJOR.MINOR, such as 7.4 (a patch form like 7.4.2 is rejected)";

  private RedisEnterpriseInputs() {}

  /** Whether {@code url} is a cluster's REST API URL: http(s), a host, an optional port. */
  static boolean isApiUrl(String url) {
    return url.matches("https?://[^/\\s:]+(:\\d{1,5})?/?");
  }

  /** Whether {@code version} is a Redis version as the API takes it, MAJOR.MINOR. */
  static boolean isRedisVersion(String version) {
    return CreateDatabaseRequest.REDIS_VERSION.matcher(version).matches();
  }

  /** Whether {@code d} is a positive duration. */
  static boolean isPositive(java.time.Duration d) {
    return !d.isNegative() && !d.isZero();
  }

  /**
   * url, username, password, caCertFile, insecure, waitTimeout.
   *
   * @param wf the workflow builder to declare the inputs on
   * @return this builder
   */
  public static Workflow.Builder connection(Workflow.Builder wf) {
    return wf.input(
            Input.optional(RedisEnterpriseKeys.URL, DEFAULT_URL)
                .check(RedisEnterpriseInputs::isApiUrl, URL_EXPECTED)
                .describedAs("the cluster's REST API"))
        .input(
            Input.required(RedisEnterpriseKeys.USERNAME)
                .check(u -> !u.isBlank(), "a non-blank user name (the admin's email)")
                .describedAs("the admin user"))
        .input(
            Input.secret(RedisEnterpriseKeys.PASSWORD)
                .check(p -> !p.isEmpty(), "a non-empty password")
                .describedAs("the admin password"))
        .input(
            Input.optional(RedisEnterpriseKeys.CA_CERT_FILE, null)
                .describedAs("a PEM file with the cluster's CA certificate to trust"))
        .input(
            Input.optional(RedisEnterpriseKeys.INSECURE, false)
                .describedAs("trust any certificate (test clusters only; logged as a warning)"))
        .input(
            Input.optional(RedisEnterpriseKeys.WAIT_TIMEOUT, ClusterStep.DEFAULT_WAIT)
                .check(RedisEnterpriseInputs::isPositive, "a positive duration such as 10m")
                .describedAs("how long to wait for the bootstrap and for the database"));
  }

  /**
   * clusterName, license, clusterSettings, persistentPath, ephemeralPath.
   *
   * @param wf the workflow builder to declare the inputs on
   * @return this builder
   */
  public static Workflow.Builder cluster(Workflow.Builder wf) {
    wf.input(
            Input.optional(RedisEnterpriseKeys.CLUSTER_NAME, DEFAULT_CLUSTER_NAME)
                .check(
                    n -> n.matches("[A-Za-z0-9]([A-Za-z0-9.-]{0,253})"),
                    "a cluster name of letters, digits, dots and dashes (an FQDN)")
                .describedAs("the cluster's name (FQDN)"))
        .input(
            Input.secret(RedisEnterpriseKeys.LICENSE)
                .optional()
                .describedAs("a license key; without it the cluster runs on the trial license"))
        .input(
            Input.optional(RedisEnterpriseKeys.CLUSTER_SETTINGS, null)
                .check(
                    ApplyClusterSettingsStep::isJsonObject,
                    "a JSON object of cluster settings, such as {\"email_alerts\": true}")
                .describedAs("cluster settings to apply (PUT /v1/cluster)"));
    return storagePaths(wf);
  }

  /**
   * persistentPath, ephemeralPath: the node's storage paths of a bootstrap or a recovery.
   *
   * @param wf the workflow builder to declare the inputs on
   * @return the same builder
   */
  public static Workflow.Builder storagePaths(Workflow.Builder wf) {
    return wf.input(
            Input.optional(RedisEnterpriseKeys.PERSISTENT_PATH, null)
                .describedAs("the node's persistent storage path"))
        .input(
            Input.optional(RedisEnterpriseKeys.EPHEMERAL_PATH, null)
                .describedAs("the node's ephemeral storage path"));
  }

  /**
   * databaseName and the database's settings.
   *
   * @param wf the workflow builder to declare the inputs on
   * @param nameRequired whether {@code databaseName} is required
   * @return the same builder
   */
  public static Workflow.Builder database(Workflow.Builder wf, boolean nameRequired) {
    Input<String> name =
        nameRequired
            ? Input.required(RedisEnterpriseKeys.DATABASE_NAME)
            : Input.optional(RedisEnterpriseKeys.DATABASE_NAME, DEFAULT_DATABASE_NAME);
    return wf.input(
            name.check(
                    n -> n.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,62}"),
                    "a database name of 1-63 letters, digits, _ and -")
                .describedAs("the database's name"))
        .input(
            Input.optional(
                    RedisEnterpriseKeys.DATABASE_MEMORY_GB, CreateDatabaseStep.DEFAULT_MEMORY_GB)
                .check(
                    gb -> gb > 0 && gb <= 1024 * 1024, "a positive number of GB, such as 1 or 0.5")
                .describedAs("the database's memory limit in GB"))
        .input(
            Input.optional(RedisEnterpriseKeys.DATABASE_PORT, null)
                .check(p -> p >= 10000 && p <= 19999, "a port from 10000 to 19999")
                .describedAs("a fixed port; the cluster picks one when absent"))
        .input(
            Input.optional(RedisEnterpriseKeys.DATABASE_REDIS_VERSION, null)
                .check(RedisEnterpriseInputs::isRedisVersion, VERSION_EXPECTED)
                .describedAs("the Redis version; the cluster's default when absent"))
        .input(
            Input.<Secret>secret(RedisEnterpriseKeys.DATABASE_PASSWORD)
                .optional()
                .describedAs("the database's password"))
        .input(
            Input.optional(RedisEnterpriseKeys.DATABASE_TLS, false)
                .describedAs("whether clients must use TLS"))
        .input(
            Input.optional(RedisEnterpriseKeys.DATABASE_REPLICATION, null)
                .describedAs("whether the database keeps a replica"))
        .input(
            Input.optional(RedisEnterpriseKeys.DATABASE_PERSISTENCE, null)
                .check(PERSISTENCE::contains, "one of disabled, aof, snapshot")
                .describedAs("data persistence"));
  }

  /**
   * database, locationType, location, and the location's credentials (sftpKeyFile, ftpPassword,
   * s3AccessKeyId, s3SecretAccessKey, s3Region): the inputs of a backup or a restore; {@code
   * location} says what the location is, for help texts.
   *
   * @param wf the workflow builder to declare the inputs on
   * @param location what the {@code location} input is and its accepted forms, such as {@code a
   *     directory: /mnt/backups/, ...}; its description, and its expectation with {@code (no
   *     password in it)} added
   * @return the same builder
   */
  public static Workflow.Builder backupLocation(Workflow.Builder wf, String location) {
    return wf.input(
            Input.required(OperationKeys.DATABASE)
                .check(s -> !s.isBlank(), "a database uid or name")
                .describedAs("the database"))
        .input(
            Input.optional(OperationKeys.LOCATION_TYPE, "mount_point")
                .check(
                    BackupLocation.TYPES::contains,
                    "mount_point, sftp, ftp or s3 (the API's gs and abs are not offered here yet)")
                .describedAs("where the file is: mount_point, sftp, ftp or s3"))
        .input(
            Input.required(OperationKeys.LOCATION)
                .check(BackupLocation::plausible, location + " (no password in it)")
                .describedAs(location))
        .input(
            Input.optional(OperationKeys.SFTP_KEY_FILE, null)
                .describedAs("the private key the cluster logs in to the SFTP server with"))
        .input(
            Input.secret(OperationKeys.FTP_PASSWORD)
                .optional()
                .describedAs("the FTP user's password (sent in the location URL, never shown)"))
        .input(
            Input.secret(OperationKeys.S3_ACCESS_KEY_ID)
                .optional()
                .describedAs("the S3 access key id"))
        .input(
            Input.secret(OperationKeys.S3_SECRET_ACCESS_KEY)
                .optional()
                .describedAs("the S3 secret access key"))
        .input(
            Input.optional(OperationKeys.S3_REGION, null)
                .check(r -> r.matches("[a-z]{2}(-[a-z]+)+-\\d"), "an AWS region such as us-east-1")
                .describedAs("the S3 bucket's region"));
  }

  /**
   * databases, parallelism, preserveRoles, parallelShardsUpgrade, mayDiscardData: the inputs of a
   * database upgrade.
   *
   * @param wf the workflow builder to declare the inputs on
   * @return the same builder
   */
  public static Workflow.Builder databaseUpgrades(Workflow.Builder wf) {
    return wf.input(
            Input.optional(OperationKeys.DATABASES, null)
                .describedAs("databases to upgrade (uids or names, comma-separated); else all"))
        .input(
            Input.optional(OperationKeys.PARALLELISM, 1)
                .check(n -> n >= 1 && n <= 64, "1 to 64 databases at a time")
                .describedAs("how many databases upgrade at once"))
        .input(
            Input.optional(OperationKeys.PRESERVE_ROLES, false)
                .describedAs("preserve_roles: keep master/replica roles (one more failover)"))
        .input(
            Input.optional(OperationKeys.PARALLEL_SHARDS, null)
                .check(n -> n >= 1, "a positive number of shards")
                .describedAs("parallel_shards_upgrade; all shards when absent"))
        .input(
            Input.optional(OperationKeys.MAY_DISCARD_DATA, false)
                .describedAs(
                    "accept that a database neither replicated nor persistent loses its data"));
  }
}
