package dev.opsflow.examples;

import dev.opsflow.hardware.provisioning.DeviceCatalog;
import dev.opsflow.hardware.provisioning.HardwareClients;
import dev.opsflow.hardware.provisioning.HardwareWorkflows;
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
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where the CLI's workflows act: the embedded simulators (the default), or real endpoints named in
 * the arguments. Holds the registry wired to them and the arguments a simulator fills in.
 */
final class Targets implements AutoCloseable {
  static final String CLOUD_API_KEY_ENV = "OPSFLOW_REDIS_CLOUD_API_KEY";
  static final String CLOUD_SECRET_KEY_ENV = "OPSFLOW_REDIS_CLOUD_SECRET_KEY";
  static final String CLOUD_BASE_URI_ENV = "OPSFLOW_REDIS_CLOUD_BASE_URI";
  static final String MAAS_URL_ENV = "OPSFLOW_MAAS_URL";
  static final String MAAS_API_KEY_ENV = "OPSFLOW_MAAS_API_KEY";

  /** The hardware workflows. */
  static final Set<String> HARDWARE =
      Set.of(
          HardwareWorkflows.SERVER_PROVISIONING,
          HardwareWorkflows.FIRMWARE_FIRST,
          HardwareWorkflows.COMMISSION_SERVER);

  /** The hardware workflows that take a target BMC network. */
  private static final Set<String> BMC_NETWORK =
      Set.of(HardwareWorkflows.SERVER_PROVISIONING, HardwareWorkflows.COMMISSION_SERVER);

  /** The simulated BMC's new static network, when the user gives none. */
  static final String SIMULATED_BMC_IP = "192.168.1.100";

  static final String SIMULATED_BMC_NETMASK = "255.255.255.0";
  static final String SIMULATED_BMC_GATEWAY = "192.168.1.1";

  /** The cluster the Redis Enterprise simulator prepares before a workflow runs. */
  private enum EnterpriseCluster {
    /** None: the workflow makes it (init-cluster). */
    NONE,
    /** A bootstrapped cluster. */
    BOOTSTRAPPED,
    /** A bootstrapped cluster, then lost, its configuration file kept (recover-cluster). */
    LOST
  }

  /**
   * Every Redis Enterprise workflow, with the cluster the simulator prepares for it; each also gets
   * the simulator's {@code url}, {@code username} and {@code password}.
   */
  private static final Map<String, EnterpriseCluster> ENTERPRISE_CLUSTERS =
      Map.of(
          RedisEnterpriseWorkflows.INIT_CLUSTER, EnterpriseCluster.NONE,
          RedisEnterpriseWorkflows.CREATE_DATABASE, EnterpriseCluster.BOOTSTRAPPED,
          RedisEnterpriseWorkflows.DELETE_DATABASE, EnterpriseCluster.BOOTSTRAPPED,
          RedisEnterpriseWorkflows.UPGRADE_DATABASES, EnterpriseCluster.BOOTSTRAPPED,
          RedisEnterpriseWorkflows.ROLLING_UPGRADE_CLUSTER, EnterpriseCluster.BOOTSTRAPPED,
          RedisEnterpriseWorkflows.MIGRATE_DATABASE, EnterpriseCluster.BOOTSTRAPPED,
          RedisEnterpriseWorkflows.BACKUP_DATABASE, EnterpriseCluster.BOOTSTRAPPED,
          RedisEnterpriseWorkflows.RESTORE_DATABASE, EnterpriseCluster.BOOTSTRAPPED,
          RedisEnterpriseWorkflows.RECOVER_CLUSTER, EnterpriseCluster.LOST);

  /** The Redis Enterprise workflows whose inputs the simulator fills in. */
  static java.util.Set<String> enterpriseWorkflows() {
    return ENTERPRISE_CLUSTERS.keySet();
  }

  private final WorkflowRegistry registry = new WorkflowRegistry();
  private final RedisEnterpriseSimulator enterprise;
  private final RedisCloudSimulator cloud;
  static final String ENTERPRISE_USER = "admin@cluster.local";

  /** The names of the simulators' state directories and ports in a {@link SimulatorWorld}. */
  static final String ENTERPRISE = "redis-enterprise";

  static final String CLOUD = "redis-cloud";

  private final String enterprisePassword;

  /** Where the simulators keep their state, or null. */
  private final SimulatorWorld world;

  /** The hardware simulators' timings, or null on real targets. */
  private final HardwareSimulators.Timings hardwareTimings;

  private final Function<String, String> env;
  private final HardwareClients hardwareClients;

  /** Read on first use. Guarded by this. */
  private DeviceCatalog catalog;

  /** Started on first use: only hardware commands need them. Guarded by this. */
  private HardwareSimulators hardware;

  private Targets(
      RedisEnterpriseSimulator enterprise,
      RedisCloudSimulator cloud,
      RedisCloudClient cloudClient,
      TlsTrust cloudDatabaseTrust,
      HardwareSimulators.Timings hardwareTimings,
      SimulatorWorld world,
      Function<String, String> env) {
    this.enterprise = enterprise;
    this.world = world;
    this.enterprisePassword =
        world == null ? UUID.randomUUID().toString() : world.enterprisePassword();
    this.cloud = cloud;
    this.hardwareTimings = hardwareTimings;
    this.env = env;
    // On the simulators, each simulated BMC's own certificate is trusted (only for that BMC);
    // on real targets, the JDK's trust store or the run's bmcCaCertFile.
    this.hardwareClients =
        hardwareTimings == null
            ? HardwareClients.fromContext()
            : HardwareClients.fromContext().withRedfish(s -> hardware().trust(s));
    RedisEnterpriseWorkflows.registerAll(
        registry,
        enterprise == null
            ? ClusterClientFactory.fromContext()
            : ClusterClientFactory.fromContext(enterprise.trustCertificate()));
    if (cloudClient != null) {
      RedisCloudWorkflows.registerAll(registry, cloudClient, cloudDatabaseTrust);
    }
    // As HardwareWorkflows.registerAll does, but the device catalog (YAML: about half a second
    // of class loading) is read when a hardware workflow is first built, not for init-cluster.
    registry
        .register(
            HardwareWorkflows.SERVER_PROVISIONING,
            () -> HardwareWorkflows.serverProvisioning(hardwareClients, catalog()))
        .register(
            HardwareWorkflows.FIRMWARE_FIRST,
            () -> HardwareWorkflows.firmwareFirst(hardwareClients, catalog()))
        .register(
            HardwareWorkflows.COMMISSION_SERVER,
            () -> HardwareWorkflows.commissionServer(hardwareClients, catalog()));
  }

  /**
   * The embedded simulators, sped up so a demo takes seconds: a bootstrap of 3 s, databases and
   * subscriptions of a few seconds. Their database endpoints are real redis-servers when the
   * machine has one.
   */
  static Targets simulators() {
    return simulators(HardwareSimulators.Timings.DEMO, null);
  }

  /** The embedded simulators of {@link #simulators()}, keeping their state in {@code world}. */
  static Targets simulators(SimulatorWorld world) {
    return simulators(HardwareSimulators.Timings.DEMO, world);
  }

  /**
   * The embedded simulators; the hardware ones (MAAS with {@value HardwareSimulators#MACHINES} new
   * machines, a Redfish BMC each) start when a hardware command first needs them, with {@code
   * hardwareTimings}.
   */
  static Targets simulators(HardwareSimulators.Timings hardwareTimings) {
    return simulators(hardwareTimings, null);
  }

  /**
   * The embedded simulators, keeping their state in {@code world} (null: nothing kept), so that a
   * run resumed by another process meets the same cluster, account and rack on the same ports.
   */
  static Targets simulators(HardwareSimulators.Timings hardwareTimings, SimulatorWorld world) {
    var builder =
        RedisEnterpriseSimulator.builder()
            .bootstrapDuration(Duration.ofSeconds(3))
            .databaseCreationDuration(Duration.ofSeconds(2));
    if (world != null) {
      builder.stateDirectory(world.stateDirectory(ENTERPRISE)).port(world.port(ENTERPRISE));
    }
    var enterprise = startOnPort(builder::start, () -> builder.port(0).start());
    RedisCloudSimulator cloud;
    try {
      var settings =
          SimulatorSettings.defaults()
              .withTaskDurations(Duration.ofSeconds(2), Duration.ofSeconds(2))
              .withSubscriptionProvisioning(Duration.ofSeconds(2))
              .withDatabaseProvisioning(Duration.ofSeconds(1));
      Path cloudState = world == null ? null : world.stateDirectory(CLOUD);
      int cloudPort = world == null ? 0 : world.port(CLOUD);
      cloud =
          startOnPort(
              () -> RedisCloudSimulator.start(Clock.systemUTC(), settings, cloudPort, cloudState),
              () -> RedisCloudSimulator.start(Clock.systemUTC(), settings, 0, cloudState));
      if (world != null) {
        world.port(ENTERPRISE, SimulatorWorld.portOf(enterprise.url()));
        world.port(CLOUD, SimulatorWorld.portOf(cloud.baseUri()));
      }
    } catch (RuntimeException e) {
      enterprise.close();
      throw e;
    }
    // The simulator's TLS databases (enableTls=true) present its own self-signed certificate.
    return new Targets(
        enterprise,
        cloud,
        cloud.clientBuilder().build(),
        TlsTrust.pem(cloud.certificatePem()),
        hardwareTimings,
        world,
        name -> null);
  }

  /**
   * Starts a simulator on the port its world recorded; when another program took that port
   * meanwhile, on a free one (a run that acted on the old port then cannot be resumed here, and
   * resume says so).
   */
  static <T> T startOnPort(Supplier<T> onRecordedPort, Supplier<T> onAnyPort) {
    try {
      return onRecordedPort.get();
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof java.net.BindException) {
        return onAnyPort.get();
      }
      throw e;
    }
  }

  /**
   * Real endpoints: Redis Enterprise's from the arguments ({@code url}, {@code username}, {@code
   * password=@env:VAR}); Redis Cloud's keys from the environment, when set; MAAS's URL and API key
   * from the arguments ({@code maasUrl}, {@code maasApiKey=@env:VAR}) or else from {@value
   * #MAAS_URL_ENV} and {@value #MAAS_API_KEY_ENV}.
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
    return new Targets(null, null, cloudClient, TlsTrust.system(), null, null, env);
  }

  WorkflowRegistry registry() {
    return registry;
  }

  /** The arguments a simulator fills in for {@code workflow}; the user's own win. */
  Map<String, String> defaults(String workflow) {
    return defaults(workflow, Map.of());
  }

  /**
   * The arguments the target fills in for {@code workflow} given the user's {@code given} ones
   * (which win): on the simulators, those they own; on real targets, MAAS's from the environment.
   */
  Map<String, String> defaults(String workflow, Map<String, String> given) {
    var args = new LinkedHashMap<String, String>();
    if (HARDWARE.contains(workflow)) {
      args.putAll(hardwareDefaults(given));
      if (BMC_NETWORK.contains(workflow) && isSimulated() && !given.containsKey("targetBmcIp")) {
        args.put("targetBmcIp", SIMULATED_BMC_IP);
        args.put("targetBmcNetmask", SIMULATED_BMC_NETMASK);
        args.put("targetBmcGateway", SIMULATED_BMC_GATEWAY);
      }
      return args;
    }
    EnterpriseCluster cluster = ENTERPRISE_CLUSTERS.get(workflow);
    if (enterprise != null && cluster != null) {
      // A cluster for the workflows that need one (a kept world may have one already).
      if (cluster != EnterpriseCluster.NONE && !enterprise.bootstrapState().equals("completed")) {
        enterprise.bootstrapped("redis-cluster", ENTERPRISE_USER, enterprisePassword);
      }
      if (cluster == EnterpriseCluster.LOST && !given.containsKey("recoveryFile")) {
        // Something to recover: the cluster is lost, its configuration kept on the node.
        enterprise.loseCluster();
        args.put("recoveryFile", enterprise.recoveryFile().toString());
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

  /**
   * The inputs every hardware workflow takes that the target knows: MAAS, and on the simulators the
   * device type of the simulated machines and the machine's BMC ({@code systemId} given: that
   * machine's; else the first machine's).
   */
  Map<String, String> hardwareDefaults(Map<String, String> given) {
    var args = sharedHardwareDefaults();
    if (!isSimulated()) {
      return args;
    }
    HardwareSimulators hw = hardware();
    var machine =
        given.containsKey("systemId") ? hw.machine(given.get("systemId")).orElse(null) : hw.first();
    if (machine != null) {
      args.put("systemId", machine.systemId());
      args.put("bmcAddress", machine.bmcAddress());
      args.put("bmcUsername", machine.bmc().username());
      args.put("bmcPassword", machine.bmc().password().reveal());
    }
    return args;
  }

  /**
   * MAAS's URL and API key, and on the simulators the simulated machines' device type: what every
   * server of a batch shares.
   */
  Map<String, String> sharedHardwareDefaults() {
    var args = new LinkedHashMap<String, String>();
    if (!isSimulated()) {
      putIfSet(args, "maasUrl", env.apply(MAAS_URL_ENV));
      putIfSet(args, "maasApiKey", env.apply(MAAS_API_KEY_ENV));
      return args;
    }
    HardwareSimulators hw = hardware();
    args.put("maasUrl", hw.maasUrl());
    args.put("maasApiKey", hw.maasApiKey());
    args.put("deviceType", HardwareSimulators.DEVICE_TYPE);
    return args;
  }

  private static void putIfSet(Map<String, String> args, String key, String value) {
    if (value != null && !value.isEmpty()) {
      args.put(key, value);
    }
  }

  /** Whether the embedded simulators keep their state for the next process (a world). */
  boolean keepsSimulatorState() {
    return world != null;
  }

  /** Whether these are the embedded simulators. */
  boolean isSimulated() {
    return hardwareTimings != null;
  }

  /** The hardware simulators, started on first use. */
  synchronized HardwareSimulators hardware() {
    if (hardwareTimings == null) {
      throw new IllegalStateException("real targets have no hardware simulators");
    }
    if (hardware == null) {
      hardware = HardwareSimulators.start(hardwareTimings, world);
    }
    return hardware;
  }

  /** The device catalog of the hardware workflows: the default one, read on first use. */
  synchronized DeviceCatalog catalog() {
    if (catalog == null) {
      catalog = DeviceCatalog.defaults();
    }
    return catalog;
  }

  /** The clients the hardware workflows use. */
  HardwareClients hardwareClients() {
    return hardwareClients;
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
    synchronized (this) {
      if (hardware != null) {
        hardware.close();
      }
    }
  }
}
