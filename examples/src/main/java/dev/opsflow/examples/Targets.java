package dev.opsflow.examples;

import dev.opsflow.redis.cloud.client.RedisCloudClient;
import dev.opsflow.redis.cloud.testing.RedisCloudSimulator;
import dev.opsflow.redis.cloud.testing.SimulatorSettings;
import dev.opsflow.redis.cloud.workflows.RedisCloudWorkflows;
import dev.opsflow.redis.enterprise.steps.ClusterClientFactory;
import dev.opsflow.redis.enterprise.testing.RedisEnterpriseSimulator;
import dev.opsflow.redis.enterprise.workflows.RedisEnterpriseWorkflows;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.ValidationException;
import dev.opsflow.workflow.WorkflowRegistry;
import dev.opsflow.workflow.http.TlsTrust;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * Where the CLI's workflows act: the embedded simulators (the default), or real endpoints named in
 * the arguments. Holds the registry wired to them and the arguments a simulator fills in.
 */
final class Targets implements AutoCloseable {
  static final String CLOUD_API_KEY_ENV = "OPSFLOW_REDIS_CLOUD_API_KEY";
  static final String CLOUD_SECRET_KEY_ENV = "OPSFLOW_REDIS_CLOUD_SECRET_KEY";
  static final String CLOUD_BASE_URI_ENV = "OPSFLOW_REDIS_CLOUD_BASE_URI";

  private final WorkflowRegistry registry = new WorkflowRegistry();
  private final RedisEnterpriseSimulator enterprise;
  private final RedisCloudSimulator cloud;
  static final String ENTERPRISE_USER = "admin@cluster.local";

  private final String enterprisePassword = UUID.randomUUID().toString();

  private Targets(
      RedisEnterpriseSimulator enterprise,
      RedisCloudSimulator cloud,
      RedisCloudClient cloudClient,
      TlsTrust cloudDatabaseTrust) {
    this.enterprise = enterprise;
    this.cloud = cloud;
    RedisEnterpriseWorkflows.registerAll(
        registry,
        enterprise == null
            ? ClusterClientFactory.fromContext()
            : ClusterClientFactory.fromContext(enterprise.trustCertificate()));
    if (cloudClient != null) {
      RedisCloudWorkflows.registerAll(registry, cloudClient, cloudDatabaseTrust);
    }
  }

  /**
   * The embedded simulators, sped up so a demo takes seconds: a bootstrap of 3 s, databases and
   * subscriptions of a few seconds. Their database endpoints are real redis-servers when the
   * machine has one.
   */
  static Targets simulators() {
    var enterprise =
        RedisEnterpriseSimulator.builder()
            .bootstrapDuration(Duration.ofSeconds(3))
            .databaseCreationDuration(Duration.ofSeconds(2))
            .start();
    var cloud =
        RedisCloudSimulator.start(
            Clock.systemUTC(),
            SimulatorSettings.defaults()
                .withTaskDurations(Duration.ofSeconds(2), Duration.ofSeconds(2))
                .withSubscriptionProvisioning(Duration.ofSeconds(2))
                .withDatabaseProvisioning(Duration.ofSeconds(1)));
    // The simulator's TLS databases (enableTls=true) present its own self-signed certificate.
    return new Targets(
        enterprise, cloud, cloud.clientBuilder().build(), TlsTrust.pem(cloud.certificatePem()));
  }

  /**
   * Real endpoints: Redis Enterprise's from the arguments ({@code url}, {@code username}, {@code
   * password=@env:VAR}); Redis Cloud's keys from the environment, when set.
   */
  static Targets real(Function<String, String> env) {
    String apiKey = env.apply(CLOUD_API_KEY_ENV);
    String secretKey = env.apply(CLOUD_SECRET_KEY_ENV);
    RedisCloudClient cloudClient = null;
    if (apiKey != null && secretKey != null) {
      var builder = RedisCloudClient.builder(Secret.of(apiKey), Secret.of(secretKey));
      String base = env.apply(CLOUD_BASE_URI_ENV);
      if (base != null) {
        builder.baseUri(base);
      }
      cloudClient = builder.build();
    }
    return new Targets(null, null, cloudClient, TlsTrust.system());
  }

  WorkflowRegistry registry() {
    return registry;
  }

  /** The arguments a simulator fills in for {@code workflow}; the user's own win. */
  Map<String, String> defaults(String workflow) {
    var args = new LinkedHashMap<String, String>();
    boolean enterpriseWorkflow =
        workflow.equals(RedisEnterpriseWorkflows.INIT_CLUSTER)
            || workflow.equals(RedisEnterpriseWorkflows.CREATE_DATABASE)
            || workflow.equals(RedisEnterpriseWorkflows.DELETE_DATABASE);
    if (enterprise != null && enterpriseWorkflow) {
      if (!workflow.equals(RedisEnterpriseWorkflows.INIT_CLUSTER)) {
        // The database workflows need a cluster: give them a bootstrapped one.
        enterprise.bootstrapped("redis-cluster", ENTERPRISE_USER, enterprisePassword);
      }
      args.put("url", enterprise.url());
      args.put("username", ENTERPRISE_USER);
      args.put("password", enterprisePassword);
    }
    if (isCloud(workflow) && !registry.names().contains(workflow)) {
      throw new ValidationException(
          "workflow '"
              + workflow
              + "' needs Redis Cloud API keys: set "
              + CLOUD_API_KEY_ENV
              + " and "
              + CLOUD_SECRET_KEY_ENV);
    }
    return args;
  }

  private static boolean isCloud(String workflow) {
    return RedisCloudWorkflows.NAMES.contains(workflow);
  }

  @Override
  public void close() {
    if (enterprise != null) {
      enterprise.close();
    }
    if (cloud != null) {
      cloud.close();
    }
  }
}
