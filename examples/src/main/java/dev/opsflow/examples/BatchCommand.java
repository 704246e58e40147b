package dev.opsflow.examples;

import dev.opsflow.hardware.maas.MaasClient;
import dev.opsflow.hardware.provisioning.BatchCommissioning;
import dev.opsflow.hardware.provisioning.BmcAddressPool;
import dev.opsflow.hardware.provisioning.HardwareWorkflows;
import dev.opsflow.hardware.provisioning.IpmiAddressPool;
import dev.opsflow.hardware.provisioning.ProvisioningConfig;
import dev.opsflow.hardware.provisioning.ServerInventory;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.ValidationException;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowException;
import dev.opsflow.workflow.batch.BatchOptions;
import dev.opsflow.workflow.batch.BatchResult;
import dev.opsflow.workflow.batch.ItemState;
import dev.opsflow.workflow.spi.ExecutionStore;
import dev.opsflow.workflow.spi.Reservations;
import dev.opsflow.workflow.spi.SecretResolver;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * {@code opsflow batch-commission}: {@link BatchCommissioning} over many servers, each one run of
 * {@code commission-server} (or {@code server-provisioning}), at most {@code maxParallel} at once,
 * each BMC getting the next address of {@code ipRange}.
 *
 * <pre>
 * opsflow batch-commission servers=20 maxParallel=5 ipRange=192.168.1.100-130 gateway=192.168.1.1
 * </pre>
 *
 * <p>It runs on the CLI's durable engine, on the store of every other command: each server's run is
 * stored, the BMC addresses are reservations in the store, and a batch run again with its {@code
 * batchId} repeats only the servers that did not complete.
 *
 * <p>Batch arguments: {@code servers} (on the simulators a count of simulated machines, 1 to
 * {@value #MAX_SIMULATED}, named after the batch id; on real targets {@code
 * systemId@bmcAddress,...} or a CSV {@link ServerInventory}, {@code servers=rack.csv}), {@code
 * config} (the seed's {@code provisioning_config.yaml}: {@link ProvisioningConfig}), {@code
 * ipRange} (or {@code ipmiRange}: {@code 192.168.1.100-130}, a CIDR block or one address) with
 * {@code gateway} and {@code netmask} (default 255.255.255.0), {@code maxParallel} (default 10),
 * {@code maxFailedPercentage} (default 100), {@code continueOnError} (default true), {@code
 * batchId} (default random) and {@code workflow}. Every other key=value is an input of each
 * server's run ({@code deviceType}, {@code tags}, {@code bmcUsername}, {@code
 * bmcPassword=@env:VAR}...). Everything is checked before any server is touched: a bad argument is
 * exit status 2.
 */
final class BatchCommand {
  static final String NAME = "batch-commission";

  /** The most simulated machines one batch creates. */
  static final int MAX_SIMULATED = 100;

  private static final Set<String> WORKFLOWS =
      Set.of(HardwareWorkflows.COMMISSION_SERVER, HardwareWorkflows.SERVER_PROVISIONING);

  private final Cli cli;
  private final PrintStream out;
  private final PrintStream err;

  BatchCommand(Cli cli, PrintStream out, PrintStream err) {
    this.cli = cli;
    this.out = out;
    this.err = err;
  }

  int run(List<String> args, boolean json, Options.StoreOptions storeOptions) {
    String target = Cli.target(args);
    boolean simulated = target.equals("simulator");
    Cli.Parsed parsed =
        cli.parse(args, false, Set.of("--json", "--dry-run", "--rollback", "--target"));
    if (parsed == null) {
      return 2;
    }
    parsed.json |= json;
    var inputs = new LinkedHashMap<String, String>(parsed.values);
    Set<String> given = Set.copyOf(inputs.keySet());
    var problems = new ArrayList<String>();
    String servers = inputs.remove("servers");
    String configFile = inputs.remove("config");
    ProvisioningConfig config = null;
    if (configFile != null) {
      config = read(problems, "config", () -> ProvisioningConfig.load(Path.of(configFile)));
    }
    String range = inputs.remove("ipRange");
    String ipmiRange = inputs.remove("ipmiRange");
    if (range != null && ipmiRange != null) {
      problems.add("give ipRange or ipmiRange, not both");
    } else if (range == null) {
      range = ipmiRange;
    }
    String gateway = inputs.remove("gateway");
    String netmask = inputs.getOrDefault("netmask", "255.255.255.0");
    inputs.remove("netmask");
    int maxParallel = integer(problems, "maxParallel", inputs.remove("maxParallel"), 10, 1, 10_000);
    int maxFailed =
        integer(problems, "maxFailedPercentage", inputs.remove("maxFailedPercentage"), 100, 0, 100);
    boolean continueOnError = bool(problems, "continueOnError", inputs.remove("continueOnError"));
    String batchId = inputs.remove("batchId");
    if (batchId == null) {
      batchId = "batch-commission-" + UUID.randomUUID().toString().substring(0, 8);
    }
    String workflowName = inputs.getOrDefault("workflow", HardwareWorkflows.COMMISSION_SERVER);
    inputs.remove("workflow");
    if (!WORKFLOWS.contains(workflowName)) {
      problems.add("workflow '" + workflowName + "': expected one of " + WORKFLOWS);
    }

    int count = 0;
    var realServers = new ArrayList<BatchCommissioning.Server>();
    ServerInventory inventory = null;
    if (servers == null) {
      problems.add(
          "servers is required: on the simulators a count (servers=6), on real targets"
              + " systemId@bmcAddress,... (servers=4y3ha3@10.0.0.5,4y3ha4@10.0.0.6) or a CSV"
              + " inventory (servers=rack.csv)");
    } else if (isInventory(servers)) {
      if (simulated) {
        problems.add(
            "servers: the inventory "
                + servers
                + " names real machines and BMCs: give --target real (on the simulators, servers"
                + " is a count)");
      } else {
        inventory =
            read(problems, "servers", () -> ServerInventory.read(Path.of(servers), cli.env::apply));
        if (inventory != null) {
          realServers.addAll(inventory.servers());
        }
      }
    } else if (simulated) {
      count = integer(problems, "servers", servers, 0, 1, MAX_SIMULATED);
    } else {
      realServers.addAll(realServers(problems, servers));
    }
    if (range != null) {
      if (gateway == null) {
        problems.add("gateway is required with ipRange (gateway=192.168.1.1)");
      }
      try {
        IpmiAddressPool.parse(range);
      } catch (ValidationException e) {
        problems.addAll(e.problems());
      }
    } else if (gateway != null) {
      problems.add("gateway is only used with ipRange: give ipRange too");
    }
    BatchOptions options = null;
    try {
      options = BatchOptions.defaults().withBatchId(batchId).withRunOptions(parsed.options);
      if (config != null) {
        // The file's batch_operations first; what the command line gives wins.
        options = config.batch().apply(options);
        if (parsed.options.rollbackOnFailure()) {
          options = options.withRunOptions(options.runOptions().withRollback(true));
        }
        options = options.withRunOptions(options.runOptions().withDryRun(parsed.options.dryRun()));
      }
      if (config == null || given.contains("maxParallel")) {
        options = options.withMaxParallel(maxParallel);
      }
      if (config == null || given.contains("maxFailedPercentage")) {
        options = options.withMaxFailedPercentage(maxFailed);
      }
      if (config == null || given.contains("continueOnError")) {
        options = options.withContinueOnError(continueOnError);
      }
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    int size = simulated ? count : realServers.size();
    if (config != null && size > 0) {
      try {
        config.batch().checkQueue(size);
      } catch (ValidationException e) {
        problems.addAll(e.problems());
      }
    }
    if (!problems.isEmpty()) {
      throw new ValidationException(problems);
    }

    cli.simulatorsBeside(storeOptions);
    Targets t = cli.targets(target);
    String deviceType = inputs.get("deviceType");
    if (deviceType != null && t.catalog().find(deviceType).isEmpty()) {
      problems.add(
          "input 'deviceType': '"
              + deviceType
              + "' is not a device type of "
              + t.catalog().source()
              + ": one of "
              + t.catalog().names());
    }
    for (BatchCommissioning.Server server : realServers) {
      String type = server.deviceType();
      if (type != null && t.catalog().find(type).isEmpty()) {
        problems.add(
            "servers: server "
                + server.systemId()
                + ": device type '"
                + type
                + "' is not one of "
                + t.catalog().source()
                + ": "
                + t.catalog().names());
      }
    }
    if (!problems.isEmpty()) {
      throw new ValidationException(problems);
    }
    cli.refuseSecretsInClear(t, workflowName, parsed.clear);

    Map<String, Object> common = new LinkedHashMap<>(t.sharedHardwareDefaults());
    common.putAll(inputs);
    var hostnames = new LinkedHashMap<String, String>();
    List<BatchCommissioning.Server> list;
    MaasClient maas;
    if (simulated) {
      list = new ArrayList<>();
      HardwareSimulators hw = t.hardware();
      for (int i = 1; i <= count; i++) {
        // The batch's own machines: a batch run again with its batchId meets them again (their
        // simulators keep their state beside the store) and repeats only what did not complete.
        String hostname = hostnamePrefix(batchId) + String.format("-%02d", i);
        var m = hw.machineNamed(hostname).orElseGet(() -> hw.addMachine(hostname));
        hostnames.put(m.systemId(), m.hostname());
        // Each simulated BMC has its own password, as BMCs with factory-unique passwords do.
        list.add(
            new BatchCommissioning.Server(
                m.systemId(), m.bmcAddress(), m.bmc().username(), m.bmc().password()));
      }
      maas = hw.maasClient();
    } else {
      list = realServers;
      Object url = common.get("maasUrl");
      Object key = common.get("maasApiKey");
      if (url == null || key == null) {
        throw new ValidationException(
            "MAAS is required: maasUrl=URL and maasApiKey=@env:VARIABLE, or set "
                + Targets.MAAS_URL_ENV
                + " and "
                + Targets.MAAS_API_KEY_ENV);
      }
      maas = MaasClient.create(url.toString(), Secret.of(key.toString()));
    }

    var commissioning = BatchCommissioning.of(list).withInputs(common).withOptions(options);
    if (range != null) {
      commissioning = commissioning.withBmcNetwork(range, gateway, netmask);
    }
    Workflow workflow =
        config == null
            ? t.registry().get(workflowName).orElseThrow()
            : configured(t, workflowName, config);
    ExecutionStore store = cli.store(storeOptions);
    Reservations pool = store.reservations().orElse(null);
    BatchCommissioning.Plan plan;
    try {
      plan = pool == null ? commissioning.plan(maas) : commissioning.plan(maas, pool);
    } catch (ValidationException e) {
      throw e;
    } catch (WorkflowException e) {
      err.println("opsflow: cannot read MAAS's machines to check the batch: " + e.getMessage());
      return 1;
    }
    // A server's run resumed after a crash gets its own BMC password again (stores hold none).
    Map<String, Object> secrets = common;
    SecretResolver fallback =
        (wf, id, input) ->
            Optional.ofNullable(secrets.get(input)).map(v -> Secret.of(String.valueOf(v)));
    SecretResolver resolver =
        inventory == null ? fallback : inventory.secretResolver(store, fallback);
    WorkflowEngine engine = cli.engine(storeOptions, null, resolver);
    var progress = new BatchProgress(parsed.json ? err : out, hostnames, plan.assignments());
    BatchResult result;
    try {
      result = plan.batch().withListener(progress).start(engine, workflow).await();
    } catch (ValidationException e) {
      throw once(e);
    }
    if (range != null && pool != null) {
      // A server whose run was rolled back gives its address back.
      BmcAddressPool addresses = commissioning.addressPool(pool);
      for (BatchResult.Item item : result.items(ItemState.FAILED)) {
        if (item.result() != null && item.result().status() == RunState.ROLLED_BACK) {
          addresses.release(item.key());
        }
      }
    }
    if (parsed.json) {
      out.println(result.toJson());
    } else {
      progress.summary(result);
    }
    return result.success() ? 0 : 1;
  }

  /** Whether {@code servers} names an inventory file rather than a count or a list. */
  private static boolean isInventory(String servers) {
    return servers.endsWith(".csv") || servers.contains("/");
  }

  /** A file's content, or null after adding its problems (or that it cannot be read). */
  private static <T> T read(List<String> problems, String name, Supplier<T> reader) {
    try {
      return reader.get();
    } catch (ValidationException e) {
      problems.addAll(e.problems());
    } catch (UncheckedIOException e) {
      problems.add(name + ": " + e.getMessage() + " (" + e.getCause().getMessage() + ")");
    } catch (java.nio.file.InvalidPathException e) {
      problems.add(name + ": '" + Inputs.shown(e.getInput()) + "' is not a file path");
    }
    return null;
  }

  /** The batch's workflow, tuned by the provisioning config (steps, device timeouts). */
  private static Workflow configured(Targets t, String name, ProvisioningConfig config) {
    return name.equals(HardwareWorkflows.SERVER_PROVISIONING)
        ? HardwareWorkflows.serverProvisioning(t.hardwareClients(), t.catalog(), config)
        : HardwareWorkflows.commissionServer(t.hardwareClients(), t.catalog().with(config));
  }

  /** A MAAS hostname from a batch id: lower-case letters, digits and dashes. */
  static String hostnamePrefix(String batchId) {
    String h = batchId.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    return h.length() > 40 ? h.substring(0, 40) : h;
  }

  /** {@code systemId@bmcAddress,...}. */
  private static List<BatchCommissioning.Server> realServers(List<String> problems, String list) {
    var servers = new ArrayList<BatchCommissioning.Server>();
    for (String entry : list.split(",")) {
      String e = entry.trim();
      int at = e.indexOf('@');
      if (at <= 0 || at == e.length() - 1) {
        problems.add(
            "servers: '"
                + e
                + "' is not systemId@bmcAddress (4y3ha3@10.0.0.5); on real targets servers is"
                + " a comma-separated list of them");
      } else {
        servers.add(new BatchCommissioning.Server(e.substring(0, at), e.substring(at + 1)));
      }
    }
    return servers;
  }

  /**
   * A problem several servers share once: the common inputs are the same for all of them, so "item
   * 'a': input 'deviceType' ..." would repeat for each.
   */
  private static ValidationException once(ValidationException e) {
    var counts = new LinkedHashMap<String, Integer>();
    for (String p : e.problems()) {
      counts.merge(p.replaceFirst("^item '[^']*': ", ""), 1, Integer::sum);
    }
    var problems = new LinkedHashSet<String>();
    for (String p : e.problems()) {
      String shared = p.replaceFirst("^item '[^']*': ", "");
      problems.add(counts.get(shared) > 1 ? shared : p);
    }
    return new ValidationException(List.copyOf(problems));
  }

  private static int integer(
      List<String> problems, String name, String value, int otherwise, int min, int max) {
    if (value == null) {
      return otherwise;
    }
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add(name + ": '" + value + "' is not a whole number from " + min + " to " + max);
    return otherwise;
  }

  private static boolean bool(List<String> problems, String name, String value) {
    if (value == null) {
      return true;
    }
    if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(value);
    }
    problems.add(name + ": '" + value + "' is not true or false");
    return true;
  }
}
