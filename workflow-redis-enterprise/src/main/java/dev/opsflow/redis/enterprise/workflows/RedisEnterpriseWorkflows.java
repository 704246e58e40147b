package dev.opsflow.redis.enterprise.workflows;

import dev.opsflow.redis.enterprise.steps.ApplyClusterSettingsStep;
import dev.opsflow.redis.enterprise.steps.ApplyLicenseStep;
import dev.opsflow.redis.enterprise.steps.AwaitBootstrapStep;
import dev.opsflow.redis.enterprise.steps.AwaitDatabaseStep;
import dev.opsflow.redis.enterprise.steps.BootstrapClusterStep;
import dev.opsflow.redis.enterprise.steps.ClusterClientFactory;
import dev.opsflow.redis.enterprise.steps.CreateDatabaseStep;
import dev.opsflow.redis.enterprise.steps.DeleteDatabaseStep;
import dev.opsflow.redis.enterprise.steps.FindDatabaseStep;
import dev.opsflow.redis.enterprise.steps.InspectClusterStep;
import dev.opsflow.redis.enterprise.steps.RedisEnterpriseKeys;
import dev.opsflow.redis.enterprise.steps.ReportOutputsStep;
import dev.opsflow.redis.enterprise.steps.VerifyCredentialsStep;
import dev.opsflow.redis.enterprise.steps.VerifyDatabaseConnectivityStep;
import dev.opsflow.workflow.Input;
import dev.opsflow.workflow.Retries;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.StepOptions;
import dev.opsflow.workflow.ValidationException;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowRegistry;
import java.time.Duration;
import java.util.Objects;

/**
 * The Redis Enterprise workflows: {@code init-cluster}, {@code create-database} and {@code
 * delete-database}, built from the public steps in {@code dev.opsflow.redis.enterprise.steps}.
 *
 * <pre>{@code
 * var registry = new WorkflowRegistry();
 * RedisEnterpriseWorkflows.registerAll(registry, ClusterClientFactory.fromContext());
 * WorkflowResult result = registry.run(engine, "init-cluster",
 *     Map.of("url", "https://cluster:9443", "username", "admin@cluster.local",
 *            "password", "...", "caCertFile", "/etc/re/proxy_cert.pem"),
 *     RunOptions.defaults());
 * }</pre>
 *
 * <p>Calls that only read or are safe to repeat retry transient failures (5xx, 429, connection
 * errors; never 401 or 4xx) with exponential backoff; waits poll through the engine's sleeper. The
 * definitions are immutable and thread-safe.
 */
public final class RedisEnterpriseWorkflows {
  /** {@code init-cluster}. */
  public static final String INIT_CLUSTER = "init-cluster";

  /** {@code create-database}. */
  public static final String CREATE_DATABASE = "create-database";

  /** {@code delete-database}. */
  public static final String DELETE_DATABASE = "delete-database";

  /** {@code upgrade-databases}. */
  public static final String UPGRADE_DATABASES = "upgrade-databases";

  /** {@code rolling-upgrade-cluster}. */
  public static final String ROLLING_UPGRADE_CLUSTER = "rolling-upgrade-cluster";

  /** {@code migrate-database}. */
  public static final String MIGRATE_DATABASE = "migrate-database";

  /** {@code backup-database}. */
  public static final String BACKUP_DATABASE = "backup-database";

  /** {@code restore-database}. */
  public static final String RESTORE_DATABASE = "restore-database";

  /** {@code recover-cluster}. */
  public static final String RECOVER_CLUSTER = "recover-cluster";

  private static final StepOptions API =
      StepOptions.defaults()
          .withRetry(Retries.exponential(4, Duration.ofSeconds(1), Duration.ofSeconds(15)));
  private static final StepOptions WAIT = StepOptions.defaults();

  private RedisEnterpriseWorkflows() {}

  /**
   * Registers every workflow with {@link ClusterClientFactory#fromContext()}.
   *
   * @param registry the registry to add the workflows to
   * @return the same registry
   */
  public static WorkflowRegistry registerAll(WorkflowRegistry registry) {
    return registerAll(registry, ClusterClientFactory.fromContext());
  }

  /**
   * Registers every workflow: the three above and {@link OperationsWorkflows}'.
   *
   * @param registry the registry to add the workflows to
   * @param clients how steps get their client, such as {@link ClusterClientFactory#fromContext()}
   *     or {@code ClusterClientFactory.fromContext(simulator.trustCertificate())}
   * @return the same registry
   */
  public static WorkflowRegistry registerAll(
      WorkflowRegistry registry, ClusterClientFactory clients) {
    Objects.requireNonNull(registry, "registry must not be null");
    Objects.requireNonNull(clients, "clients must not be null");
    return registry
        .register(INIT_CLUSTER, () -> initCluster(clients))
        .register(CREATE_DATABASE, () -> createDatabase(clients))
        .register(DELETE_DATABASE, () -> deleteDatabase(clients))
        .register(UPGRADE_DATABASES, () -> OperationsWorkflows.upgradeDatabases(clients))
        .register(ROLLING_UPGRADE_CLUSTER, () -> OperationsWorkflows.rollingUpgradeCluster(clients))
        .register(MIGRATE_DATABASE, () -> OperationsWorkflows.migrateDatabase(clients))
        .register(BACKUP_DATABASE, () -> OperationsWorkflows.backupDatabase(clients))
        .register(RESTORE_DATABASE, () -> OperationsWorkflows.restoreDatabase(clients))
        .register(RECOVER_CLUSTER, () -> OperationsWorkflows.recoverCluster(clients));
  }

  /**
   * {@code init-cluster}: inspect the node, bootstrap it unless it is bootstrapped (or being
   * bootstrapped), wait for the bootstrap, check the credentials, apply the license and cluster
   * settings if given, create the default database ({@code default-db}, 1 GB) unless {@code
   * skipDatabase} or one of that name exists, wait until it is active, PING it, report.
   *
   * @param clients how the steps get the client of the run's cluster (such as {@link
   *     ClusterClientFactory#fromContext()})
   * @return the workflow, to run or register
   */
  public static Workflow initCluster(ClusterClientFactory clients) {
    var wf =
        Workflow.builder(INIT_CLUSTER)
            .version(1)
            .description(
                "Initialise a Redis Enterprise cluster: bootstrap, credentials, license,"
                    + " settings, default database and a connectivity check");
    RedisEnterpriseInputs.connection(wf);
    RedisEnterpriseInputs.cluster(wf);
    wf.input(
        Input.optional(RedisEnterpriseKeys.SKIP_DATABASE, false)
            .describedAs("do not create the default database"));
    RedisEnterpriseInputs.database(wf, false);
    return wf.step(new InspectClusterStep(clients), API)
        .step(new BootstrapClusterStep(clients), API)
        .step(new AwaitBootstrapStep(clients), WAIT)
        .step(new VerifyCredentialsStep(clients), API)
        .step(new ApplyLicenseStep(clients), API)
        .step(new ApplyClusterSettingsStep(clients), API)
        .step(new FindDatabaseStep(clients), API)
        .step(new CreateDatabaseStep(clients), API)
        .step(new AwaitDatabaseStep(clients), WAIT)
        .step(new VerifyDatabaseConnectivityStep(clients), WAIT)
        .step(new ReportOutputsStep(clients, true))
        .build();
  }

  /**
   * {@code create-database}: create a database unless one of that name exists, wait until it is
   * active, PING it, report {@code database_created}, {@code database_id}, {@code endpoints}.
   *
   * @param clients how the steps get the client of the run's cluster (such as {@link
   *     ClusterClientFactory#fromContext()})
   * @return the workflow, to run or register
   */
  public static Workflow createDatabase(ClusterClientFactory clients) {
    var wf =
        Workflow.builder(CREATE_DATABASE)
            .version(1)
            .description("Create a Redis Enterprise database, wait until it is active and PING it");
    RedisEnterpriseInputs.connection(wf);
    RedisEnterpriseInputs.database(wf, true);
    return wf.step(new FindDatabaseStep(clients), API)
        .step(new CreateDatabaseStep(clients), API)
        .step(new AwaitDatabaseStep(clients), WAIT)
        .step(new VerifyDatabaseConnectivityStep(clients), WAIT)
        .step(new ReportOutputsStep(clients, false))
        .build();
  }

  /**
   * {@code delete-database}: delete a database by {@code databaseId} or {@code databaseName} and
   * wait until it is gone; a database that does not exist is a skip, not an error.
   *
   * @param clients how the steps get the client of the run's cluster (such as {@link
   *     ClusterClientFactory#fromContext()})
   * @return the workflow, to run or register
   */
  public static Workflow deleteDatabase(ClusterClientFactory clients) {
    var wf =
        Workflow.builder(DELETE_DATABASE)
            .version(1)
            .description("Delete a Redis Enterprise database by id or name");
    RedisEnterpriseInputs.connection(wf);
    return wf.input(
            Input.optional(RedisEnterpriseKeys.DATABASE_UID, null)
                .check(id -> id > 0, "a positive database uid")
                .describedAs("the database's uid"))
        .input(
            Input.optional(RedisEnterpriseKeys.DATABASE_NAME, null)
                .describedAs("the database's name, when no databaseId is given"))
        .step(
            Step.builder("check-target")
                .readOnly()
                .run(
                    ctx -> {
                      if (ctx.get(RedisEnterpriseKeys.DATABASE_UID).isEmpty()
                          && ctx.get(RedisEnterpriseKeys.DATABASE_NAME).isEmpty()) {
                        throw new ValidationException(
                            "give databaseId or databaseName: which database to delete");
                      }
                    })
                .describe("check that a database is named")
                .build())
        .step(new FindDatabaseStep(clients), API)
        .step(new DeleteDatabaseStep(clients), API)
        .build();
  }
}
