package dev.opsflow.redis.enterprise.steps;

import dev.opsflow.workflow.Key;
import dev.opsflow.workflow.Secret;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The context keys the Redis Enterprise steps read and write. The workflows declare the input keys
 * as inputs; a host composing the steps itself puts them in the context (or declares them the same
 * way). Names are the workflows' input names.
 */
public final class RedisEnterpriseKeys {
  private RedisEnterpriseKeys() {}

  // ---- connection (inputs) ----

  /** The API's base URL, {@code https://HOST:9443}. */
  public static final Key<String> URL = Key.of("url", String.class);

  /** The admin user (an email address, as the cluster's login). */
  public static final Key<String> USERNAME = Key.of("username", String.class);

  /** The admin password. */
  public static final Key<Secret> PASSWORD = Key.of("password", Secret.class);

  /** A PEM file with the cluster's CA (its self-signed proxy certificate) to trust. */
  public static final Key<Path> CA_CERT_FILE = Key.of("caCertFile", Path.class);

  /** Trust any certificate: an explicit opt-in, logged as a warning. */
  public static final Key<Boolean> INSECURE = Key.of("insecure", Boolean.class);

  /** How long to wait for the bootstrap and for a database to become active. */
  public static final Key<Duration> WAIT_TIMEOUT = Key.of("waitTimeout", Duration.class);

  // ---- cluster (inputs) ----

  /** The cluster's name (FQDN). */
  public static final Key<String> CLUSTER_NAME = Key.of("clusterName", String.class);

  /** A license key to apply; without it the cluster runs on its trial license. */
  public static final Key<Secret> LICENSE = Key.of("license", Secret.class);

  /** Cluster settings to apply with {@code PUT /v1/cluster}, as a JSON object. */
  public static final Key<String> CLUSTER_SETTINGS = Key.of("clusterSettings", String.class);

  /** The node's persistent storage path for the bootstrap, or none for the default. */
  public static final Key<String> PERSISTENT_PATH = Key.of("persistentPath", String.class);

  /** The node's ephemeral storage path for the bootstrap, or none for the default. */
  public static final Key<String> EPHEMERAL_PATH = Key.of("ephemeralPath", String.class);

  // ---- database (inputs) ----

  /** Skip creating the default database. */
  public static final Key<Boolean> SKIP_DATABASE = Key.of("skipDatabase", Boolean.class);

  /** The database's name. */
  public static final Key<String> DATABASE_NAME = Key.of("databaseName", String.class);

  /** The database's memory limit in GB (may be fractional: 0.5). */
  public static final Key<Double> DATABASE_MEMORY_GB = Key.of("databaseMemoryGb", Double.class);

  /** A fixed port for the database (10000-19999), or none to let the cluster pick. */
  public static final Key<Integer> DATABASE_PORT = Key.of("databasePort", Integer.class);

  /** The Redis version, MAJOR.MINOR, or none for the cluster's default. */
  public static final Key<String> DATABASE_REDIS_VERSION = Key.of("redisVersion", String.class);

  /** The database's password, or none. */
  public static final Key<Secret> DATABASE_PASSWORD = Key.of("databasePassword", Secret.class);

  /** Whether the database requires TLS. */
  public static final Key<Boolean> DATABASE_TLS = Key.of("databaseTls", Boolean.class);

  /** Whether the database keeps a replica. */
  public static final Key<Boolean> DATABASE_REPLICATION = Key.of("replication", Boolean.class);

  /** Persistence: disabled, aof or snapshot. */
  public static final Key<String> DATABASE_PERSISTENCE = Key.of("persistence", String.class);

  /** The uid of a database to act on (delete-database). */
  public static final Key<Integer> DATABASE_UID = Key.of("databaseId", Integer.class);

  // ---- state written by steps ----

  /** The bootstrap state read by {@link InspectClusterStep}. */
  public static final Key<String> BOOTSTRAP_STATE = Key.of("re.bootstrapState", String.class);

  /** The cluster's actual name, read after bootstrap. */
  public static final Key<String> ACTUAL_CLUSTER_NAME = Key.of("re.clusterName", String.class);

  /** The uid of the database worked on. */
  public static final Key<Integer> DATABASE_ID = Key.of("re.databaseId", Integer.class);

  /** The action of its creation, when asynchronous. */
  public static final Key<String> DATABASE_ACTION = Key.of("re.databaseAction", String.class);

  /** Whether this run created the database (only then does rollback delete it). */
  public static final Key<Boolean> DATABASE_CREATED = Key.of("re.databaseCreated", Boolean.class);

  /** The database endpoint, {@code host:port}. */
  public static final Key<String> DATABASE_ENDPOINT = Key.of("re.databaseEndpoint", String.class);
}
