package dev.opsflow.redis.enterprise.workflows;

import dev.opsflow.redis.enterprise.client.CreateDatabaseRequest;
import dev.opsflow.redis.enterprise.steps.ApplyClusterSettingsStep;
import dev.opsflow.redis.enterprise.steps.ClusterStep;
import dev.opsflow.redis.enterprise.steps.CreateDatabaseStep;
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

  private RedisEnterpriseInputs() {}

  /**
   * url, username, password, caCertFile, insecure, waitTimeout.
   *
   * @param wf the workflow builder to declare the inputs on
   * @return this builder
   */
  public static Workflow.Builder connection(Workflow.Builder wf) {
    return wf.input(
            Input.optional(RedisEnterpriseKeys.URL, DEFAULT_URL)
                .check(
                    u -> u.matches("https?://[^/\\s:]+(:\\d{1,5})?/?"),
                    "an http(s) URL with a host and optional port, such as https://cluster:9443")
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
                .check(d -> !d.isNegative() && !d.isZero(), "a positive duration such as 10m")
                .describedAs("how long to wait for the bootstrap and for the database"));
  }

  /**
   * clusterName, license, clusterSettings, persistentPath, ephemeralPath.
   *
   * @param wf the workflow builder to declare the inputs on
   * @return this builder
   */
  public static Workflow.Builder cluster(Workflow.Builder wf) {
    return wf.input(
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
                .describedAs("cluster settings to apply (PUT /v1/cluster)"))
        .input(
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
                .check(
                    v -> CreateDatabaseRequest.REDIS_VERSION.matcher(v).matches(),
                    "a version as MAJOR.MINOR, such as 7.4 (a patch form like 7.4.2 is rejected)")
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
}
