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

    /** A server whose BMC takes the common credentials. */
    public Server(String systemId, String bmcAddress) {
      this(systemId, bmcAddress, null, null, null);
    }

    /** A server with its own BMC credentials, of the common device type. */
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
   */
  public record Plan(Batch batch, Map<String, String> assignments) {}

  private final List<Server> servers;
  private final String range;
  private final String gateway;
  private final String netmask;
  private final Map<String, Object> inputs;
  private final BatchOptions options;

  private BatchCommissioning(
      List<Server> servers,
      String range,
      String gateway,
      String netmask,
      Map<String, Object> inputs,
      BatchOptions options) {
    this.servers = servers;
    this.range = range;
    this.gateway = gateway;
    this.netmask = netmask;
    this.inputs = inputs;
    this.options = options;
  }

  /** A batch over {@code servers}, in that order. */
  public static BatchCommissioning of(List<Server> servers) {
    Objects.requireNonNull(servers, "servers must not be null");
    return new BatchCommissioning(
        List.copyOf(servers), null, null, "255.255.255.0", Map.of(), BatchOptions.defaults());
  }

  /** A copy that assigns BMC addresses from {@code ipmiRange}, with this gateway and netmask. */
  public BatchCommissioning withBmcNetwork(String ipmiRange, String bmcGateway, String bmcNetmask) {
    return new BatchCommissioning(servers, ipmiRange, bmcGateway, bmcNetmask, inputs, options);
  }

  /**
   * A copy with the inputs every server's run gets (MAAS, device type, BMC credentials, tags...);
   * the per-server inputs ({@code systemId}, {@code bmcAddress}, {@code targetBmc*}) are set by the
   * batch.
   */
  public BatchCommissioning withInputs(Map<String, ?> common) {
    Objects.requireNonNull(common, "common must not be null");
    return new BatchCommissioning(
        servers,
        range,
        gateway,
        netmask,
        Collections.unmodifiableMap(new LinkedHashMap<>(common)),
        options);
  }

  /** A copy with these batch options (maxParallel, continueOnError, maxFailedPercentage...). */
  public BatchCommissioning withOptions(BatchOptions batchOptions) {
    return new BatchCommissioning(
        servers,
        range,
        gateway,
        netmask,
        inputs,
        Objects.requireNonNull(batchOptions, "batchOptions must not be null"));
  }

  /**
   * Checks the batch and assigns the addresses; reads MAAS's machines for collisions and changes
   * nothing.
   *
   * @throws ValidationException naming every problem; nothing ran
   */
  public Plan plan(MaasClient maas) {
    Objects.requireNonNull(maas, "maas must not be null");
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
    var assignments = new LinkedHashMap<String, String>();
    if (range != null) {
      assign(problems, assignments);
    }
    if (problems.isEmpty() && !assignments.isEmpty()) {
      currentBmcCollisions(assignments, problems);
      collisions(maas, assignments, problems);
    }
    if (!problems.isEmpty()) {
      throw new ValidationException(problems);
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
    return new Plan(Batch.of(items).withOptions(options), Collections.unmodifiableMap(assignments));
  }

  private void assign(List<String> problems, Map<String, String> assignments) {
    IpmiAddressPool pool;
    try {
      pool = IpmiAddressPool.parse(range);
    } catch (ValidationException e) {
      problems.addAll(e.problems());
      return;
    }
    boolean networkOk = true;
    if (!Ipv4.isHost(gateway)) {
      problems.add("gateway '" + gateway + "' is not a host IPv4 address such as 192.168.1.1");
      networkOk = false;
    }
    if (!Ipv4.isNetmask(netmask)) {
      problems.add("netmask '" + netmask + "' is not an IPv4 netmask such as 255.255.255.0");
      networkOk = false;
    }
    if (pool.size() < servers.size()) {
      problems.add(
          "ipmiRange '"
              + range
              + "' has "
              + pool.size()
              + " addresses for "
              + servers.size()
              + " servers; expected at least "
              + servers.size());
      return;
    }
    for (int i = 0; i < servers.size(); i++) {
      String address = pool.addresses().get(i);
      if (networkOk && address.equals(gateway)) {
        problems.add(
            "ipmiRange '"
                + range
                + "' contains the gateway "
                + gateway
                + "; leave it out of the range");
      } else if (networkOk
          && (Ipv4.toLong(address) & Ipv4.toLong(netmask))
              != (Ipv4.toLong(gateway) & Ipv4.toLong(netmask))) {
        problems.add(
            "address "
                + address
                + " of ipmiRange '"
                + range
                + "' is not in the subnet of gateway "
                + gateway
                + "/"
                + netmask);
      }
      if (servers.get(i) != null && servers.get(i).systemId() != null) {
        assignments.put(servers.get(i).systemId(), address);
      }
    }
  }

  /** An address assigned to one server that another server's BMC has now would clash. */
  private void currentBmcCollisions(Map<String, String> assignments, List<String> problems) {
    for (Server s : servers) {
      String current = HardwareClients.bmcHost(s.bmcAddress());
      assignments.forEach(
          (systemId, address) -> {
            if (address.equals(current) && !systemId.equals(s.systemId())) {
              problems.add(
                  "address "
                      + address
                      + " for server '"
                      + systemId
                      + "' is the current BMC address of server '"
                      + s.systemId()
                      + "': choose a range of free addresses");
            }
          });
    }
  }

  private static void collisions(
      MaasClient maas, Map<String, String> assignments, List<String> problems) {
    var owners = new HashMap<String, MaasMachine>();
    for (MaasMachine m : maas.machines()) {
      var addresses = new ArrayList<>(m.ipAddresses());
      for (MaasInterface nic : m.interfaces()) {
        nic.links().stream()
            .map(MaasInterface.Link::ipAddress)
            .filter(Objects::nonNull)
            .forEach(addresses::add);
      }
      addresses.forEach(a -> owners.putIfAbsent(a, m));
    }
    assignments.forEach(
        (systemId, address) -> {
          MaasMachine owner = owners.get(address);
          if (owner != null && !owner.systemId().equals(systemId)) {
            problems.add(
                "address "
                    + address
                    + " for server '"
                    + systemId
                    + "' is in use by MAAS machine "
                    + owner.systemId()
                    + " ("
                    + owner.hostname()
                    + "): choose a range of free addresses");
          }
        });
  }

  /** Checks, then starts the batch; returns at once with its handle. */
  public BatchRun start(WorkflowEngine engine, Workflow workflow, MaasClient maas) {
    return plan(maas).batch().start(engine, workflow);
  }

  /** Checks, then runs the batch and waits for its result. */
  public BatchResult run(WorkflowEngine engine, Workflow workflow, MaasClient maas) {
    return start(engine, workflow, maas).await();
  }
}
