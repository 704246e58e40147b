package dev.opsflow.hardware.provisioning;

import dev.opsflow.hardware.maas.MaasClient;
import dev.opsflow.hardware.maas.MaasInterface;
import dev.opsflow.hardware.maas.MaasMachine;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.ValidationException;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.batch.Batch;
import dev.opsflow.workflow.batch.BatchItem;
import dev.opsflow.workflow.batch.BatchOptions;
import dev.opsflow.workflow.batch.BatchResult;
import dev.opsflow.workflow.batch.BatchRun;
import dev.opsflow.workflow.spi.Reservations;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Commissions many servers at once through the core {@link Batch}: each server is one run of a
 * workflow ({@link HardwareWorkflows#commissionServer} or {@code server-provisioning}) whose BMC
 * gets the next address of an {@link IpmiAddressPool}, in the servers' order.
 *
 * <pre>{@code
 * BatchResult result = BatchCommissioning.of(List.of(
 *         new BatchCommissioning.Server("4y3ha3", "10.0.0.5"),
 *         new BatchCommissioning.Server("4y3ha4", "10.0.0.6")))
 *     .withBmcNetwork("192.168.1.100-110", "192.168.1.1", "255.255.255.0")
 *     .withInputs(Map.of("maasUrl", url, "maasApiKey", key, "deviceType", "a1.c5.large",
 *         "bmcUsername", "root", "bmcPassword", password))
 *     .withOptions(BatchOptions.defaults().withBatchId("rack-12").withMaxParallel(3)
 *         .withMaxFailedPercentage(20))
 *     .run(engine, HardwareWorkflows.commissionServer(clients, catalog), maas);
 * }</pre>
 *
 * <p>{@link #plan} checks everything before anything runs and throws one {@link
 * ValidationException} naming every problem: servers listed twice or with a bad system id, a range
 * with fewer addresses than servers, a gateway that is one of the assigned addresses or outside
 * their subnet, a batch without a stable id, and <b>collisions</b>: an assigned address that MAAS
 * already knows on another machine (its {@code ip_addresses} or an interface link), or that is
 * another server's current BMC address. Each item's key is the system id, so each run's idempotency
 * key is {@code batchId:systemId}: with a durable store, running the same batch again after a crash
 * repeats only the servers that did not complete. Immutable and thread-safe.
 */
public final class BatchCommissioning {
  private static final Pattern SYSTEM_ID = Pattern.compile("[a-z0-9]{1,32}");
  private static final Set<String> PER_SERVER =
      Set.of(
          ProvisioningKeys.SYSTEM_ID.name(),
          ProvisioningKeys.BMC_ADDRESS.name(),
          ProvisioningKeys.TARGET_BMC_IP.name(),
          ProvisioningKeys.TARGET_BMC_GATEWAY.name(),
          ProvisioningKeys.TARGET_BMC_NETMASK.name());

  /**
   * One server of the batch.
   *
   * @param systemId its MAAS system id
   * @param bmcAddress its BMC's current address (host or host:port)
   * @param bmcUsername its BMC user, or null for the common input {@code bmcUsername}
   * @param bmcPassword its BMC password (factory-unique passwords are common), or null for the
   *     common input {@code bmcPassword}
   * @param deviceType its device type, or null for the common input {@code deviceType}
   */
  public record Server(
      String systemId,
      String bmcAddress,
      String bmcUsername,
      Secret bmcPassword,
      String deviceType) {

    /**
     * A server whose BMC takes the common credentials.
     *
     * @param systemId its MAAS system id
     * @param bmcAddress its BMC's current address (host or host:port)
     */
    public Server(String systemId, String bmcAddress) {
      this(systemId, bmcAddress, null, null, null);
    }

    /**
     * A server with its own BMC credentials, of the common device type.
     *
     * @param systemId its MAAS system id
     * @param bmcAddress its BMC's current address (host or host:port)
     * @param bmcUsername its BMC user, or null for the common input {@code bmcUsername}
     * @param bmcPassword its BMC password (factory-unique passwords are common), or null for the
     *     common input {@code bmcPassword}
     */
    public Server(String systemId, String bmcAddress, String bmcUsername, Secret bmcPassword) {
      this(systemId, bmcAddress, bmcUsername, bmcPassword, null);
    }

    @Override
    public String toString() {
      return "Server[" + systemId + " at " + bmcAddress + "]";
    }
  }

  /**
   * A checked batch, ready to run.
   *
   * @param batch the core batch, one item per server keyed by its system id
   * @param assignments each server's new BMC address, by system id, in the servers' order
   * @param skipped for each server, the addresses passed over before its own, with the reasons
   *     (collision detection and resolution); empty lists when none was
   */
  public record Plan(
      Batch batch, Map<String, String> assignments, Map<String, List<String>> skipped) {}

  private final List<Server> servers;
  private final String range;
  private final String gateway;
  private final String netmask;
  private final Map<String, Object> inputs;
  private final BatchOptions options;
  private final Reservations reservations;
  private final BmcAddressPool.Probe probe;

  private BatchCommissioning(
      List<Server> servers,
      String range,
      String gateway,
      String netmask,
      Map<String, Object> inputs,
      BatchOptions options) {
    this(servers, range, gateway, netmask, inputs, options, null, BmcAddressPool.Probe.none());
  }

  private BatchCommissioning(
      List<Server> servers,
      String range,
      String gateway,
      String netmask,
      Map<String, Object> inputs,
      BatchOptions options,
      Reservations reservations,
      BmcAddressPool.Probe probe) {
    this.servers = servers;
    this.range = range;
    this.gateway = gateway;
    this.netmask = netmask;
    this.inputs = inputs;
    this.options = options;
    this.reservations = reservations;
    this.probe = probe;
  }

  /**
   * A copy that reserves addresses in {@code value} (by default {@link #run} and {@link #start} use
   * the engine's store, {@link #plan(MaasClient)} a fresh in-memory one).
   *
   * @param value the reservations to hold the addresses in
   * @return the copy
   */
  public BatchCommissioning withReservations(Reservations value) {
    return new BatchCommissioning(
        servers,
        range,
        gateway,
        netmask,
        inputs,
        options,
        Objects.requireNonNull(value, "reservations must not be null"),
        probe);
  }

  /**
   * A copy that probes each candidate address before handing it out (for example {@code
   * BmcAddressPool.Probe.tcp(List.of(443, 22), Duration.ofMillis(500))}); none by default.
   *
   * @param value the probe of each candidate address
   * @return the copy
   */
  public BatchCommissioning withProbe(BmcAddressPool.Probe value) {
    return new BatchCommissioning(
        servers,
        range,
        gateway,
        netmask,
        inputs,
        options,
        reservations,
        Objects.requireNonNull(value, "probe must not be null"));
  }

  /**
   * A batch over {@code servers}, in that order.
   *
   * @param servers the servers, each with its system id and BMC credentials
   * @return the batch
   */
  public static BatchCommissioning of(List<Server> servers) {
    Objects.requireNonNull(servers, "servers must not be null");
    return new BatchCommissioning(
        List.copyOf(servers), null, null, "255.255.255.0", Map.of(), BatchOptions.defaults());
  }

  /**
   * A copy that assigns BMC addresses from {@code ipmiRange}, with this gateway and netmask.
   *
   * @param ipmiRange the BMC addresses to hand out, such as {@code 10.0.0.10-10.0.0.50}
   * @param bmcGateway the BMC subnet's gateway
   * @param bmcNetmask the BMC subnet's netmask
   * @return the copy
   */
  public BatchCommissioning withBmcNetwork(String ipmiRange, String bmcGateway, String bmcNetmask) {
    return new BatchCommissioning(
        servers, ipmiRange, bmcGateway, bmcNetmask, inputs, options, reservations, probe);
  }

  /**
   * A copy with the inputs every server's run gets (MAAS, device type, BMC credentials, tags...);
   * the per-server inputs ({@code systemId}, {@code bmcAddress}, {@code targetBmc*}) are set by the
   * batch.
   *
   * @param common the inputs of every server's run, by name
   * @return the copy
   */
  public BatchCommissioning withInputs(Map<String, ?> common) {
    Objects.requireNonNull(common, "common must not be null");
    return new BatchCommissioning(
        servers,
        range,
        gateway,
        netmask,
        Collections.unmodifiableMap(new LinkedHashMap<>(common)),
        options,
        reservations,
        probe);
  }

  /**
   * A copy with these batch options (maxParallel, continueOnError, maxFailedPercentage...).
   *
   * @param batchOptions the batch's options
   * @return the copy
   */
  public BatchCommissioning withOptions(BatchOptions batchOptions) {
    return new BatchCommissioning(
        servers,
        range,
        gateway,
        netmask,
        inputs,
        Objects.requireNonNull(batchOptions, "batchOptions must not be null"),
        reservations,
        probe);
  }

  /**
   * Checks the batch and assigns the addresses in a fresh in-memory reservation pool (or the one
   * given with {@link #withReservations}); reads MAAS's machines and changes nothing there.
   *
   * @param maas the MAAS client whose machines are checked
   * @return the plan: each server's address, and the problems found
   * @throws ValidationException naming every problem; nothing ran
   */
  public Plan plan(MaasClient maas) {
    return plan(
        maas,
        reservations != null
            ? reservations
            : new dev.opsflow.workflow.store.InMemoryExecutionStore().reservations().orElseThrow());
  }

  /**
   * Checks the batch and reserves each server's address in {@code pool}: the one it holds already
   * (a resumed batch), else the first free one. An address MAAS knows on another machine, another
   * server's current BMC address, the subnet's network, broadcast and gateway addresses, and one
   * the probe finds answering are skipped, and each server's skips are in {@link Plan#skipped()}.
   * When some server finds no address, the addresses reserved by this call are released again.
   *
   * @param maas the MAAS client whose machines are checked
   * @param pool the reservations to hold the addresses in
   * @return the plan: each server's address, and the problems found
   * @throws ValidationException naming every problem; nothing ran
   */
  public Plan plan(MaasClient maas, Reservations pool) {
    Objects.requireNonNull(maas, "maas must not be null");
    Objects.requireNonNull(pool, "pool must not be null");
    var problems = new ArrayList<String>();
    if (options.batchId() == null) {
      problems.add(
          "batchId is required: a stable id (BatchOptions.withBatchId) makes a re-run after a"
              + " crash repeat only the servers that did not complete");
    }
    if (servers.isEmpty()) {
      problems.add("servers: expected at least one server");
    }
    var ids = new HashSet<String>();
    for (Server s : servers) {
      if (s == null || s.systemId() == null || !SYSTEM_ID.matcher(s.systemId()).matches()) {
        problems.add(
            "server '"
                + (s == null ? null : s.systemId())
                + "': not a MAAS system id (lower-case letters and digits)");
      } else if (!ids.add(s.systemId())) {
        problems.add("server '" + s.systemId() + "' is listed twice");
      }
      if (s != null && (s.bmcAddress() == null || s.bmcAddress().isBlank())) {
        problems.add("server '" + s.systemId() + "': bmcAddress is missing");
      }
    }
    inputs.keySet().stream()
        .filter(PER_SERVER::contains)
        .forEach(
            k -> problems.add("input '" + k + "' is set per server by the batch; leave it out"));
    BmcAddressPool addresses = null;
    if (range != null) {
      try {
        addresses = BmcAddressPool.of(range, gateway, netmask, pool).withProbe(probe);
        if (addresses.size() < servers.size()) {
          problems.add(
              "ipmiRange '"
                  + range
                  + "' has "
                  + addresses.size()
                  + " addresses for "
                  + servers.size()
                  + " servers; expected at least "
                  + servers.size());
        }
      } catch (ValidationException e) {
        problems.addAll(e.problems());
      }
    }
    if (!problems.isEmpty()) {
      throw new ValidationException(problems);
    }
    var assignments = new LinkedHashMap<String, String>();
    var skipped = new LinkedHashMap<String, List<String>>();
    if (addresses != null) {
      assign(maas, addresses, assignments, skipped);
    }
    var items = new ArrayList<BatchItem>();
    for (Server s : servers) {
      var in = new LinkedHashMap<String, Object>(inputs);
      in.put(ProvisioningKeys.SYSTEM_ID.name(), s.systemId());
      in.put(ProvisioningKeys.BMC_ADDRESS.name(), s.bmcAddress());
      if (s.bmcUsername() != null) {
        in.put(ProvisioningKeys.BMC_USERNAME.name(), s.bmcUsername());
      }
      if (s.bmcPassword() != null) {
        in.put(ProvisioningKeys.BMC_PASSWORD.name(), s.bmcPassword());
      }
      if (s.deviceType() != null) {
        in.put(ProvisioningKeys.DEVICE_TYPE.name(), s.deviceType());
      }
      if (range != null) {
        in.put(ProvisioningKeys.TARGET_BMC_IP.name(), assignments.get(s.systemId()));
        in.put(ProvisioningKeys.TARGET_BMC_GATEWAY.name(), gateway);
        in.put(ProvisioningKeys.TARGET_BMC_NETMASK.name(), netmask);
      }
      items.add(BatchItem.of(s.systemId(), in));
    }
    return new Plan(
        Batch.of(items).withOptions(options),
        Collections.unmodifiableMap(assignments),
        Collections.unmodifiableMap(skipped));
  }

  private void assign(
      MaasClient maas,
      BmcAddressPool addresses,
      Map<String, String> assignments,
      Map<String, List<String>> skipped) {
    Map<String, String> owners = maasOwners(maas);
    var fresh = new ArrayList<String>();
    try {
      for (Server s : servers) {
        var inUse = new HashMap<String, String>();
        owners.forEach(
            (address, owner) -> {
              if (!owner.startsWith(s.systemId() + " ")) {
                inUse.put(address, "in use by MAAS machine " + owner);
              }
            });
        for (Server other : servers) {
          if (!other.systemId().equals(s.systemId())) {
            inUse.putIfAbsent(
                HardwareClients.bmcHost(other.bmcAddress()),
                "the current BMC address of server '" + other.systemId() + "'");
          }
        }
        BmcAddressPool.Assignment a = addresses.assign(s.systemId(), inUse);
        if (!a.kept()) {
          fresh.add(s.systemId());
        }
        assignments.put(s.systemId(), a.address());
        skipped.put(s.systemId(), a.skipped());
      }
    } catch (ValidationException e) {
      // All or nothing: a batch that cannot run keeps no address it took for it.
      fresh.forEach(addresses::release);
      throw e;
    }
  }

  /** Every address MAAS knows (ip_addresses and interface links), to its machine. */
  private static Map<String, String> maasOwners(MaasClient maas) {
    var owners = new HashMap<String, String>();
    for (MaasMachine m : maas.machines()) {
      var found = new ArrayList<>(m.ipAddresses());
      for (MaasInterface nic : m.interfaces()) {
        nic.links().stream()
            .map(MaasInterface.Link::ipAddress)
            .filter(Objects::nonNull)
            .forEach(found::add);
      }
      found.forEach(a -> owners.putIfAbsent(a, m.systemId() + " (" + m.hostname() + ")"));
    }
    return owners;
  }

  /**
   * The BMC address pool of this batch's range on {@code pool} (to release the address of a machine
   * that is released, or to read one).
   *
   * @param pool the reservations the addresses are held in
   * @return the address pool
   */
  public BmcAddressPool addressPool(Reservations pool) {
    return BmcAddressPool.of(range, gateway, netmask, pool).withProbe(probe);
  }

  private Reservations reservationsOf(WorkflowEngine engine) {
    return reservations != null
        ? reservations
        : engine
            .store()
            .reservations()
            .orElseGet(
                () ->
                    new dev.opsflow.workflow.store.InMemoryExecutionStore()
                        .reservations()
                        .orElseThrow());
  }

  /**
   * Checks, reserves the addresses in the engine's store, then starts the batch; returns at once
   * with its handle.
   *
   * @param engine the engine to run on; its store holds the reservations
   * @param workflow the workflow each server runs ({@code commission-server})
   * @param maas the MAAS client whose machines are checked
   * @return a handle to await, watch or cancel the batch
   */
  public BatchRun start(WorkflowEngine engine, Workflow workflow, MaasClient maas) {
    return plan(maas, reservationsOf(engine)).batch().start(engine, workflow);
  }

  /**
   * Checks, reserves the addresses in the engine's store, runs the batch and waits for its result;
   * a server whose run was rolled back gives its address back.
   *
   * @param engine the engine to run on; its store holds the reservations
   * @param workflow the workflow each server runs ({@code commission-server})
   * @param maas the MAAS client whose machines are checked
   * @return how the batch ended, server by server
   */
  public BatchResult run(WorkflowEngine engine, Workflow workflow, MaasClient maas) {
    Reservations pool = reservationsOf(engine);
    BatchResult result = plan(maas, pool).batch().start(engine, workflow).await();
    if (range != null) {
      BmcAddressPool addresses = addressPool(pool);
      for (BatchResult.Item item : result.items(dev.opsflow.workflow.batch.ItemState.FAILED)) {
        if (item.result() != null
            && item.result().status() == dev.opsflow.workflow.RunState.ROLLED_BACK) {
          addresses.release(item.key());
        }
      }
    }
    return result;
  }
}
