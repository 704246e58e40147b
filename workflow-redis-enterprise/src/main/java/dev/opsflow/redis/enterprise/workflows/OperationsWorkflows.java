package dev.opsflow.redis.enterprise.workflows;

import dev.opsflow.redis.enterprise.steps.AwaitBootstrapStep;
import dev.opsflow.redis.enterprise.steps.AwaitExportStep;
import dev.opsflow.redis.enterprise.steps.AwaitImportStep;
import dev.opsflow.redis.enterprise.steps.AwaitReplicaSyncStep;
import dev.opsflow.redis.enterprise.steps.ClusterClientFactory;
import dev.opsflow.redis.enterprise.steps.CutOverStep;
import dev.opsflow.redis.enterprise.steps.InspectBackupStep;
import dev.opsflow.redis.enterprise.steps.InspectMigrationStep;
import dev.opsflow.redis.enterprise.steps.InspectRecoveryStep;
import dev.opsflow.redis.enterprise.steps.OperationKeys;
import dev.opsflow.redis.enterprise.steps.PlanDatabaseUpgradesStep;
import dev.opsflow.redis.enterprise.steps.PlanNodeUpgradesStep;
import dev.opsflow.redis.enterprise.steps.RecoverClusterStep;
import dev.opsflow.redis.enterprise.steps.RecoverDatabasesStep;
import dev.opsflow.redis.enterprise.steps.StartExportStep;
import dev.opsflow.redis.enterprise.steps.StartImportStep;
import dev.opsflow.redis.enterprise.steps.StartReplicaSyncStep;
import dev.opsflow.redis.enterprise.steps.UpgradeDatabasesStep;
import dev.opsflow.redis.enterprise.steps.UpgradeNodesStep;
import dev.opsflow.redis.enterprise.steps.VerifyMigratedDataStep;
import dev.opsflow.redis.enterprise.steps.VerifyRestoredDataStep;
import dev.opsflow.workflow.Input;
import dev.opsflow.workflow.Retries;
import dev.opsflow.workflow.StepOptions;
import dev.opsflow.workflow.Workflow;
import java.time.Duration;

/**
 * The Redis Enterprise operations workflows that redisctl's seeds list as future work: {@code
 * upgrade-databases}, {@code rolling-upgrade-cluster}, {@code migrate-database}, {@code
 * backup-database}, {@code restore-database} and {@code recover-cluster}. Registered by {@link
 * RedisEnterpriseWorkflows#registerAll}. Each one re-reads the cluster's state before it changes
 * anything, so a resumed or repeated run never does a change twice.
 */
public final class OperationsWorkflows {
  static final StepOptions API =
      StepOptions.defaults()
          .withRetry(Retries.exponential(4, Duration.ofSeconds(1), Duration.ofSeconds(15)));
  static final StepOptions WAIT = StepOptions.defaults();

  private OperationsWorkflows() {}

  /**
   * {@code upgrade-databases}: plan (supported versions, active databases, data-loss guard), then
   * upgrade the planned databases {@code parallelism} at a time, each checked with a PING and a key
   * round trip.
   *
   * @param clients how the steps get the client of the run's cluster (such as {@link
   *     ClusterClientFactory#fromContext()})
   * @return the workflow, to run or register
   */
  public static Workflow upgradeDatabases(ClusterClientFactory clients) {
    var wf =
        Workflow.builder(RedisEnterpriseWorkflows.UPGRADE_DATABASES)
            .version(1)
            .description(
                "Upgrade the databases of a Redis Enterprise cluster to a Redis version, one (or"
                    + " N) at a time, each checked afterwards");
    RedisEnterpriseInputs.connection(wf);
    wf.input(
        Input.required(OperationKeys.TARGET_REDIS_VERSION)
            .check(RedisEnterpriseInputs::isRedisVersion, RedisEnterpriseInputs.VERSION_EXPECTED)
            .describedAs("the Redis version to upgrade to"));
    RedisEnterpriseInputs.databaseUpgrades(wf);
    return wf.step(new PlanDatabaseUpgradesStep(clients), API)
        .step(new UpgradeDatabasesStep(clients), API)
        .build();
  }

  /**
   * {@code rolling-upgrade-cluster}: check the cluster and SSH to every node, upgrade the nodes'
   * software one at a time (maintenance on, installer over SSH, wait until back and healthy,
   * maintenance off), then, with {@code targetRedisVersion}, upgrade the databases.
   *
   * @param clients how the steps get the client of the run's cluster (such as {@link
   *     ClusterClientFactory#fromContext()})
   * @return the workflow, to run or register
   */
  public static Workflow rollingUpgradeCluster(ClusterClientFactory clients) {
    var wf =
        Workflow.builder(RedisEnterpriseWorkflows.ROLLING_UPGRADE_CLUSTER)
            .version(1)
            .description(
                "Upgrade a Redis Enterprise cluster's software node by node in maintenance mode,"
                    + " then its databases");
    RedisEnterpriseInputs.connection(wf);
    wf.input(
            Input.required(OperationKeys.TARGET_SOFTWARE_VERSION)
                .check(
                    v -> v.matches("\\d+\\.\\d+\\.\\d+-\\d+"),
                    "a Redis Software version such as 7.8.2-34")
                .describedAs("the version the installer brings (nodes at it are skipped)"))
        .input(
            Input.required(OperationKeys.INSTALLER_PATH)
                .check(
                    p -> p.startsWith("/") && !p.contains(" "), "an absolute path without spaces")
                .describedAs("the extracted installer on every node, such as /tmp/re/install.sh"))
        .input(
            Input.optional(OperationKeys.INSTALLER_FLAGS, "-y")
                .check(f -> f.matches("[A-Za-z0-9_./=: -]*"), "installer flags (no shell syntax)")
                .describedAs("the installer's flags; -y answers its prompts"))
        .input(
            Input.optional(OperationKeys.SUDO, true).describedAs("run the installer with sudo -n"))
        .input(
            Input.required(OperationKeys.SSH_USER)
                .check(u -> u.matches("[a-z_][a-z0-9_.-]*"), "a user name")
                .describedAs("the SSH user on the nodes"))
        .input(
            Input.required(OperationKeys.SSH_KEY_FILE)
                .check(java.nio.file.Files::isReadable, "a readable private key file")
                .describedAs("the SSH private key"))
        .input(
            Input.required(OperationKeys.KNOWN_HOSTS_FILE)
                .check(java.nio.file.Files::isReadable, "a readable known_hosts file")
                .describedAs("the nodes' host keys (never accepted unseen)"))
        .input(
            Input.optional(OperationKeys.SSH_PORT, 22)
                .check(p -> p > 0 && p < 65536, "a port")
                .describedAs("the nodes' SSH port"))
        .input(
            Input.optional(OperationKeys.NODE_HOSTS, null)
                .check(
                    h -> h.matches("\\s*\\d+=[^,=\\s]+(\\s*,\\s*\\d+=[^,=\\s]+)*\\s*"),
                    "uid=host[:port] pairs, such as 1=10.0.0.1,2=10.0.0.2:2222")
                .describedAs("SSH addresses per node uid, when not the node's addr"))
        .input(
            Input.optional(OperationKeys.INSTALL_TIMEOUT, Duration.ofMinutes(30))
                .check(RedisEnterpriseInputs::isPositive, "a positive duration such as 30m")
                .describedAs("how long one installer run may take"))
        .input(
            Input.optional(OperationKeys.TARGET_REDIS_VERSION, null)
                .check(
                    RedisEnterpriseInputs::isRedisVersion, RedisEnterpriseInputs.VERSION_EXPECTED)
                .describedAs("then upgrade the databases to this Redis version"));
    RedisEnterpriseInputs.databaseUpgrades(wf);
    return wf.step(new PlanNodeUpgradesStep(clients), API)
        .step(new UpgradeNodesStep(clients), API)
        .step(new PlanDatabaseUpgradesStep(clients), API)
        .step(new UpgradeDatabasesStep(clients), API)
        .build();
  }

  /**
   * {@code recover-cluster}: check the node (state, software version, the recovery file through the
   * node's own validation), recover the cluster's configuration, wait for it, then recover every
   * database waiting in status {@code recovery} and PING each.
   *
   * @param clients how the steps get the client of the run's cluster (such as {@link
   *     ClusterClientFactory#fromContext()})
   * @return the workflow, to run or register
   */
  public static Workflow recoverCluster(ClusterClientFactory clients) {
    var wf =
        Workflow.builder(RedisEnterpriseWorkflows.RECOVER_CLUSTER)
            .version(1)
            .description(
                "Recover a lost Redis Enterprise cluster from its configuration file, then its"
                    + " databases");
    RedisEnterpriseInputs.connection(wf);
    wf.input(
            Input.required(OperationKeys.RECOVERY_FILE)
                .check(
                    p -> p.startsWith("/"), "an absolute path on the node, .../ccs/ccs-redis.rdb")
                .describedAs("the lost cluster's configuration file on the node"))
        .input(
            Input.optional(OperationKeys.EXPECTED_SOFTWARE_VERSION, null)
                .describedAs("the Redis Software version the lost cluster ran"));
    RedisEnterpriseInputs.storagePaths(wf);
    return wf.step(new InspectRecoveryStep(clients), API)
        .step(new RecoverClusterStep(clients), API)
        .step(new AwaitBootstrapStep(clients), WAIT)
        .step(new RecoverDatabasesStep(clients), API)
        .build();
  }

  /**
   * {@code migrate-database}: check both databases, make the target a Replica Of the source, wait
   * until in sync, compare key counts and a sample of keys, and with {@code cutOver} stop the sync
   * and report the cut-over point. Rollback stops a sync this run started; the source is never
   * changed.
   *
   * @param clients how the steps get the client of the run's cluster (such as {@link
   *     ClusterClientFactory#fromContext()})
   * @return the workflow, to run or register
   */
  public static Workflow migrateDatabase(ClusterClientFactory clients) {
    var wf =
        Workflow.builder(RedisEnterpriseWorkflows.MIGRATE_DATABASE)
            .version(1)
            .description(
                "Copy a database into another one (same or another cluster) with Replica Of,"
                    + " verify it, and optionally cut over");
    RedisEnterpriseInputs.connection(wf);
    wf.input(
            Input.required(OperationKeys.SOURCE_DATABASE)
                .check(s -> !s.isBlank(), "a database uid or name")
                .describedAs("the database to copy from (on url)"))
        .input(
            Input.required(OperationKeys.TARGET_DATABASE)
                .check(s -> !s.isBlank(), "a database uid or name")
                .describedAs("the database to copy into (on targetUrl, else on url)"))
        .input(
            Input.optional(OperationKeys.TARGET_URL, null)
                .check(RedisEnterpriseInputs::isApiUrl, RedisEnterpriseInputs.URL_EXPECTED)
                .describedAs("the target cluster's REST API, when it is another cluster"))
        .input(
            Input.optional(OperationKeys.TARGET_USERNAME, null)
                .describedAs("the target cluster's admin"))
        .input(
            Input.secret(OperationKeys.TARGET_PASSWORD)
                .optional()
                .describedAs("the target cluster's admin password"))
        .input(
            Input.optional(OperationKeys.TARGET_CA_CERT_FILE, null)
                .describedAs("a PEM file with the target cluster's CA"))
        .input(
            Input.optional(OperationKeys.CUT_OVER, false)
                .describedAs("stop the sync once verified and report the cut-over point"))
        .input(
            Input.optional(OperationKeys.SAMPLE_SIZE, 100)
                .check(n -> n >= 0 && n <= 100_000, "0 to 100000 keys")
                .describedAs("how many keys to compare"));
    return wf.step(new InspectMigrationStep(clients), API)
        .step(new StartReplicaSyncStep(clients), API)
        .step(new AwaitReplicaSyncStep(clients), WAIT)
        .step(new VerifyMigratedDataStep(clients), API)
        .step(new CutOverStep(clients), API)
        .build();
  }

  /**
   * {@code backup-database}: check the location and the database, export it (mount point, SFTP,
   * FTP, S3), and wait until the export succeeded.
   *
   * @param clients how the steps get the client of the run's cluster (such as {@link
   *     ClusterClientFactory#fromContext()})
   * @return the workflow, to run or register
   */
  public static Workflow backupDatabase(ClusterClientFactory clients) {
    var wf =
        Workflow.builder(RedisEnterpriseWorkflows.BACKUP_DATABASE)
            .version(1)
            .description("Export a Redis Enterprise database to a mount point, SFTP, FTP or S3");
    RedisEnterpriseInputs.connection(wf);
    RedisEnterpriseInputs.backupLocation(
        wf,
        "a directory: /mnt/backups/, sftp://user@host[:port]/dir/, ftp://[user@]host[:port]/dir/"
            + " or s3://bucket/subdir/");
    return wf.step(new InspectBackupStep(clients), API)
        .step(new StartExportStep(clients), API)
        .step(new AwaitExportStep(clients), WAIT)
        .build();
  }

  /**
   * {@code restore-database}: check the database, import an RDB file into it (its data is
   * replaced), wait until the import succeeded, then PING it and count its keys.
   *
   * @param clients how the steps get the client of the run's cluster (such as {@link
   *     ClusterClientFactory#fromContext()})
   * @return the workflow, to run or register
   */
  public static Workflow restoreDatabase(ClusterClientFactory clients) {
    var wf =
        Workflow.builder(RedisEnterpriseWorkflows.RESTORE_DATABASE)
            .version(1)
            .description(
                "Import an RDB file into a Redis Enterprise database (its data is replaced) and"
                    + " verify it");
    RedisEnterpriseInputs.connection(wf);
    RedisEnterpriseInputs.backupLocation(
        wf,
        "a file: /mnt/backups/db.rdb, sftp://user@host[:port]/dir/db.rdb,"
            + " ftp://[user@]host[:port]/dir/db.rdb or s3://bucket/subdir/db.rdb");
    wf.input(
        Input.optional(OperationKeys.EXPECTED_KEYS, null)
            .check(n -> n >= 0, "a key count >= 0")
            .describedAs("the key count the restored database must have"));
    return wf.step(new InspectBackupStep(clients, true), API)
        .step(new StartImportStep(clients), API)
        .step(new AwaitImportStep(clients), WAIT)
        .step(new VerifyRestoredDataStep(clients), API)
        .build();
  }
}
