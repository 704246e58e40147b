package dev.opsflow.redis.enterprise.steps;

import dev.opsflow.workflow.Key;
import dev.opsflow.workflow.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The context keys of the operations workflows (upgrade-databases, rolling-upgrade-cluster,
 * migrate-database, backup-database, restore-database, recover-cluster): their inputs (named as the
 * workflows' inputs) and the state their steps record. The connection keys are {@link
 * RedisEnterpriseKeys}'.
 */
public final class OperationKeys {
  private OperationKeys() {}

  // ---- upgrade-databases ----

  /** The Redis version to upgrade to, MAJOR.MINOR. */
  public static final Key<String> TARGET_REDIS_VERSION = Key.of("targetRedisVersion", String.class);

  /** Which databases (uids or names, comma-separated); every database when absent. */
  public static final Key<String> DATABASES = Key.of("databases", String.class);

  /** How many databases upgrade at once. */
  public static final Key<Integer> PARALLELISM = Key.of("parallelism", Integer.class);

  /** {@code preserve_roles} of the upgrade. */
  public static final Key<Boolean> PRESERVE_ROLES = Key.of("preserveRoles", Boolean.class);

  /** {@code parallel_shards_upgrade} of the upgrade, or none for all shards. */
  public static final Key<Integer> PARALLEL_SHARDS = Key.of("parallelShardsUpgrade", Integer.class);

  /** Accept that a database neither replicated nor persistent loses its data. */
  public static final Key<Boolean> MAY_DISCARD_DATA = Key.of("mayDiscardData", Boolean.class);

  /** The uids of the databases the plan upgrades, in order. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static final Key<List<Integer>> UPGRADE_PLAN =
      (Key<List<Integer>>) (Key) Key.of("re.upgradePlan", List.class);

  /** The names of the databases already at the target version. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static final Key<List<String>> UPGRADE_SKIPPED =
      (Key<List<String>>) (Key) Key.of("re.upgradeSkipped", List.class);

  // ---- rolling-upgrade-cluster ----

  /** The installer on each node, such as {@code /tmp/redislabs-7.8.4/install.sh}. */
  public static final Key<String> INSTALLER_PATH = Key.of("installerPath", String.class);

  /** The installer's flags, such as {@code -y}. */
  public static final Key<String> INSTALLER_FLAGS = Key.of("installerFlags", String.class);

  /** Run the installer with sudo. */
  public static final Key<Boolean> SUDO = Key.of("sudo", Boolean.class);

  /** The software version the installer brings, such as {@code 7.8.4-66}. */
  public static final Key<String> TARGET_SOFTWARE_VERSION =
      Key.of("targetSoftwareVersion", String.class);

  /** The SSH user on the nodes. */
  public static final Key<String> SSH_USER = Key.of("sshUser", String.class);

  /** The SSH private key file. */
  public static final Key<Path> SSH_KEY_FILE = Key.of("sshKeyFile", Path.class);

  /** The known_hosts file the nodes' host keys are checked against. */
  public static final Key<Path> KNOWN_HOSTS_FILE = Key.of("knownHostsFile", Path.class);

  /** The SSH port of the nodes. */
  public static final Key<Integer> SSH_PORT = Key.of("sshPort", Integer.class);

  /** SSH addresses per node, {@code 1=host:port,2=host:port}; else each node's addr. */
  public static final Key<String> NODE_HOSTS = Key.of("nodeHosts", String.class);

  /** How long one installer run may take. */
  public static final Key<Duration> INSTALL_TIMEOUT = Key.of("installTimeout", Duration.class);

  /** The node uids in the order they are upgraded. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static final Key<List<Integer>> NODE_ORDER =
      (Key<List<Integer>>) (Key) Key.of("re.nodeOrder", List.class);

  // ---- migrate-database ----

  /** The database to copy from (uid or name). */
  public static final Key<String> SOURCE_DATABASE = Key.of("sourceDatabase", String.class);

  /** The database to copy into (uid or name). */
  public static final Key<String> TARGET_DATABASE = Key.of("targetDatabase", String.class);

  /** The target cluster's API, when it is another cluster. */
  public static final Key<String> TARGET_URL = Key.of("targetUrl", String.class);

  /** The target cluster's admin. */
  public static final Key<String> TARGET_USERNAME = Key.of("targetUsername", String.class);

  /** The target cluster's admin password. */
  public static final Key<Secret> TARGET_PASSWORD = Key.of("targetPassword", Secret.class);

  /** The target cluster's CA. */
  public static final Key<Path> TARGET_CA_CERT_FILE = Key.of("targetCaCertFile", Path.class);

  /** Stop the sync once verified and report the cut-over point. */
  public static final Key<Boolean> CUT_OVER = Key.of("cutOver", Boolean.class);

  /** How many keys to compare. */
  public static final Key<Integer> SAMPLE_SIZE = Key.of("sampleSize", Integer.class);

  /** The source database's uid. */
  public static final Key<Integer> SOURCE_ID = Key.of("re.sourceId", Integer.class);

  /** The target database's uid. */
  public static final Key<Integer> TARGET_ID = Key.of("re.targetId", Integer.class);

  /** Whether this run configured the sync (only then does rollback stop it). */
  public static final Key<Boolean> SYNC_STARTED = Key.of("re.syncStarted", Boolean.class);

  // ---- backup-database and restore-database ----

  /** The database to back up or restore (uid or name). */
  public static final Key<String> DATABASE = Key.of("database", String.class);

  /** {@code mount_point}, {@code sftp}, {@code ftp} or {@code s3}. */
  public static final Key<String> LOCATION_TYPE = Key.of("locationType", String.class);

  /** A directory (export) or file (import) on the mount point, or an {@code sftp://} URL. */
  public static final Key<String> LOCATION = Key.of("location", String.class);

  /** The private key the cluster uses for SFTP. */
  public static final Key<Path> SFTP_KEY_FILE = Key.of("sftpKeyFile", Path.class);

  /** The FTP password (locationType ftp), put into the URL only when sent. */
  public static final Key<Secret> FTP_PASSWORD = Key.of("ftpPassword", Secret.class);

  /** The S3 access key id (locationType s3). */
  public static final Key<Secret> S3_ACCESS_KEY_ID = Key.of("s3AccessKeyId", Secret.class);

  /** The S3 secret access key (locationType s3). */
  public static final Key<Secret> S3_SECRET_ACCESS_KEY = Key.of("s3SecretAccessKey", Secret.class);

  /** The S3 region name (locationType s3), or none. */
  public static final Key<String> S3_REGION = Key.of("s3Region", String.class);

  /** The key count the restored database must have. */
  public static final Key<Long> EXPECTED_KEYS = Key.of("expectedKeys", Long.class);

  /** {@code last_export_time} before this run's export. */
  public static final Key<String> EXPORT_BEFORE = Key.of("re.exportBefore", String.class);

  // ---- recover-cluster ----

  /** The cluster configuration file to recover from ({@code .../ccs/ccs-redis.rdb}). */
  public static final Key<String> RECOVERY_FILE = Key.of("recoveryFile", String.class);

  /** The software version the new nodes must run (the lost cluster's). */
  public static final Key<String> EXPECTED_SOFTWARE_VERSION =
      Key.of("expectedSoftwareVersion", String.class);
}
