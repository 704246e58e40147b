package dev.opsflow.redis.enterprise.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BiFunction;
import javax.net.ssl.SSLContext;
import tools.jackson.databind.JsonNode;

/**
 * The simulated cluster's state and its endpoints, behind one lock. Bootstrap, action and database
 * states are functions of the clock, read at each request, so a {@code ManualClock} moves them.
 */
final class SimulatorApi {
  private static final Duration INITIATED = Duration.ofSeconds(1);

  private final Clock clock;
  private final Duration bootstrapDuration;
  private final Duration databaseDuration;
  private final Duration deletionDuration;
  private final long nodeMemory;
  private final List<SimulatedNode> nodes = new ArrayList<>();

  /** The cluster's primary (master) node: the one that created it, until it restarts. */
  private int primaryNode = 1;

  private final Duration nodeRestart;
  private final RedisBackend backend;
  private final SSLContext endpointTls;
  private final Faults faults;

  private Instant bootstrapStart;
  private String[] bootstrapError;
  private String bootstrapAction = "create_cluster";

  /** This node's uid in the cluster it joined, or 0 (it created its cluster, or none). */
  private int joinedUid;

  private final SimulatorOperations operations;
  private final SimulatorRecoveries recoveries;
  private final SimulatorNodeActions nodeActions;
  private final SimulatorLocations locations;
  private SimulatorDatabases databasesEndpoints;
  private java.nio.file.Path sftpKnownHosts;
  private String clusterName;
  private final SimulatorUsers users = new SimulatorUsers();
  private String license;
  private final Map<String, Object> clusterSettings = new LinkedHashMap<>();
  private final TreeMap<Integer, SimulatedDatabase> databases = new TreeMap<>();
  private final Map<String, SimulatedAction> actions = new LinkedHashMap<>();
  private int nextDatabaseUid = 1;

  SimulatorApi(
      Clock clock,
      Duration bootstrapDuration,
      Duration databaseDuration,
      Duration deletionDuration,
      long nodeMemory,
      RedisBackend backend,
      SSLContext endpointTls,
      Faults faults,
      int nodeCount,
      String softwareVersion,
      Duration nodeRestart) {
    this.clock = clock;
    this.bootstrapDuration = bootstrapDuration;
    this.databaseDuration = databaseDuration;
    this.deletionDuration = deletionDuration;
    this.nodeMemory = nodeMemory;
    this.backend = backend;
    this.endpointTls = endpointTls;
    this.faults = faults;
    this.nodeRestart = nodeRestart;
    this.operations = new SimulatorOperations(this);
    this.recoveries = new SimulatorRecoveries(this);
    this.nodeActions = new SimulatorNodeActions(this);
    this.locations = new SimulatorLocations(this);
    for (int uid = 1; uid <= nodeCount; uid++) {
      nodes.add(new SimulatedNode(uid, softwareVersion, nodeMemory, clock.instant()));
    }
    clusterSettings.put("email_alerts", false);
    clusterSettings.put("rack_aware", false);
  }

  // ---- bootstrap and auth ----

  synchronized String bootstrapState() {
    if (bootstrapStart == null) {
      return "idle";
    }
    Duration elapsed = Duration.between(bootstrapStart, clock.instant());
    if (elapsed.compareTo(INITIATED) < 0) {
      return "initiated";
    }
    if (elapsed.compareTo(bootstrapDuration) < 0) {
      return switch (bootstrapAction) {
        case "recover_cluster" -> "recovering_cluster";
        case "join_cluster" -> "joining_cluster";
        default -> "creating_cluster";
      };
    }
    return bootstrapError != null ? "error" : "completed";
  }

  synchronized boolean bootstrapped() {
    return bootstrapState().equals("completed");
  }

  synchronized boolean authenticates(String user, String password) {
    return users.authenticates(user, password);
  }

  synchronized void presetBootstrapped(String name, String username, String password) {
    clusterName = name;
    users.resetTo(username, password, clock.instant());
    bootstrapError = null;
    bootstrapStart = clock.instant().minus(bootstrapDuration).minusSeconds(1);
  }

  synchronized Reply getBootstrap() {
    var status = new LinkedHashMap<String, Object>();
    String state = bootstrapState();
    status.put("state", state);
    if (bootstrapStart != null) {
      status.put("start_time", bootstrapStart.toString());
      if (state.equals("completed") || state.equals("error")) {
        status.put("end_time", bootstrapStart.plus(bootstrapDuration).toString());
      }
    }
    if (state.equals("error")) {
      status.put("error_code", bootstrapError[0]);
      status.put("error_details", Map.of("message", bootstrapError[1]));
    }
    var node = new LinkedHashMap<String, Object>();
    SimulatedNode local = nodes(clock.instant()).get(0);
    node.put("uid", joinedUid != 0 ? joinedUid : local.uid);
    node.put("software_version", local.softwareVersion());
    node.put("cores", 4);
    node.put("ephemeral_storage_path", "/var/opt/redislabs/tmp");
    node.put("ephemeral_storage_size", 53687091200.0);
    node.put("os_version", "Ubuntu 22.04.4 LTS");
    node.put("persistent_storage_path", "/var/opt/redislabs/persist");
    node.put("persistent_storage_size", 53687091200.0);
    node.put("total_memory", nodeMemory);
    node.put("uptime", Duration.between(local.started, clock.instant()).toSeconds());
    node.put(
        "available_addrs",
        List.of(Map.of("address", local.addr, "format", "ipv4", "if_name", "lo", "private", true)));
    return Reply.ok(Map.of("bootstrap_status", status, "local_node_info", node));
  }

  synchronized Reply createCluster(JsonNode body) {
    Reply conflict = bootstrapConflict();
    if (conflict != null) {
      return conflict;
    }
    String name = text(body, "cluster", "name");
    String username = text(body, "credentials", "username");
    String password = text(body, "credentials", "password");
    String[] problem = configProblem(name, username, password);
    if (problem != null) {
      return Reply.error(400, problem[0], problem[1]);
    }
    String key = text(body, "license");
    if (bootstrapAction.equals("recover_cluster") || recoveries.ccsFile().toFile().exists()) {
      // A new cluster on this node: the lost cluster's databases are not part of it.
      withDatabases(
          (dbs, actions) -> {
            dbs.clear();
            actions.clear();
            return null;
          });
    }
    bootstrapAction = "create_cluster";
    clusterName = name;
    users.resetTo(username, password, clock.instant());
    bootstrapStart = clock.instant();
    bootstrapError = faults.takeBootstrapError();
    if (bootstrapError == null && key != null && !validLicense(key)) {
      bootstrapError = new String[] {"invalid_license", "the license key cannot be parsed"};
    }
    if (bootstrapError == null && key != null) {
      license = key;
    }
    return Reply.ok(Map.of());
  }

  /** The 409 of a node that is bootstrapped or bootstrapping, or null when one may start. */
  synchronized Reply startable() {
    return bootstrapConflict();
  }

  /** Starts joining a cluster ({@link SimulatorJoins}): the 409 of a busy node, or null. */
  synchronized Reply beginJoin() {
    Reply conflict = bootstrapConflict();
    if (conflict != null) {
      return conflict;
    }
    bootstrapAction = "join_cluster";
    bootstrapStart = clock.instant();
    bootstrapError = faults.takeBootstrapError();
    joinedUid = 0;
    return null;
  }

  /** The join started by {@link #beginJoin} failed: the bootstrap ends in {@code error}. */
  synchronized void joinFailed(String code, String message) {
    if (bootstrapError == null) {
      bootstrapError = new String[] {code, message};
    }
  }

  /** The cluster took this node as {@code uid}: it answers with the cluster's admin from now. */
  synchronized void joined(String name, String username, String password, int uid) {
    clusterName = name;
    users.resetTo(username, password, clock.instant());
    joinedUid = uid;
  }

  /** A node joining this cluster: the next uid, running {@code softwareVersion}. */
  synchronized SimulatedNode addNode(String softwareVersion, long totalMemory) {
    int uid = nodes.stream().mapToInt(n -> n.uid).max().orElse(0) + 1;
    var node = new SimulatedNode(uid, softwareVersion, totalMemory, clock.instant());
    nodes.add(node);
    return node;
  }

  /** {@code POST /v1/bootstrap/recover_cluster}: see {@link SimulatorRecoveries}. */
  synchronized Reply recoverCluster(JsonNode body) {
    Reply conflict = bootstrapConflict();
    if (conflict != null) {
      return conflict;
    }
    bootstrapAction = "recover_cluster";
    bootstrapStart = clock.instant();
    bootstrapError = recoveries.problem(body);
    if (bootstrapError == null) {
      bootstrapError = faults.takeBootstrapError();
    }
    return Reply.ok(Map.of());
  }

  /** {@code POST /v1/bootstrap/validate/recover_cluster}: the same checks, synchronously. */
  synchronized Reply validateRecovery(JsonNode body) {
    Reply conflict = bootstrapConflict();
    if (conflict != null) {
      return conflict;
    }
    String[] problem = recoveries.problem(body);
    return problem == null ? Reply.ok(Map.of()) : validationError(problem);
  }

  /** The node forgets its bootstrap, as a fresh install on the old storage would. */
  synchronized void resetBootstrap() {
    bootstrapStart = null;
    bootstrapError = null;
  }

  private Reply validationError(String[] problem) {
    var status = new LinkedHashMap<String, Object>();
    status.put("state", "error");
    status.put("start_time", clock.instant().toString());
    status.put("end_time", clock.instant().toString());
    status.put("error_code", problem[0]);
    status.put("error_details", Map.of("message", problem[1]));
    return new Reply(406, Map.of("bootstrap_status", status));
  }

  /**
   * {@code POST /v1/bootstrap/validate/create_cluster}: the checks of a bootstrap, synchronously
   * and without changing anything: 200, or 406 with a {@code bootstrap_status} naming the error.
   */
  synchronized Reply validateCluster(JsonNode body) {
    Reply conflict = bootstrapConflict();
    if (conflict != null) {
      return conflict;
    }
    String[] problem =
        configProblem(
            text(body, "cluster", "name"),
            text(body, "credentials", "username"),
            text(body, "credentials", "password"));
    String key = text(body, "license");
    if (problem == null && key != null && !validLicense(key)) {
      problem = new String[] {"invalid_license", "the license key cannot be parsed"};
    }
    if (problem == null) {
      return Reply.ok(Map.of());
    }
    var status = new LinkedHashMap<String, Object>();
    status.put("state", "error");
    status.put("start_time", clock.instant().toString());
    status.put("end_time", clock.instant().toString());
    status.put("error_code", problem[0]);
    status.put("error_details", Map.of("message", problem[1]));
    return new Reply(406, Map.of("bootstrap_status", status));
  }

  /** 409 when the node is bootstrapped or bootstrapping; null when a bootstrap may start. */
  private Reply bootstrapConflict() {
    String state = bootstrapState();
    if (state.equals("completed")) {
      return Reply.error(
          409, "node_already_bootstrapped", "this node already belongs to cluster " + clusterName);
    }
    if (!state.equals("idle") && !state.equals("error")) {
      return Reply.error(
          409, "bootstrap_in_progress", "a bootstrap is in progress (" + state + ")");
    }
    return null;
  }

  /** The error code and message of a bootstrap body without a name or credentials, or null. */
  private static String[] configProblem(String name, String username, String password) {
    if (name == null || name.isBlank()) {
      return new String[] {"config_error", "cluster.name is required"};
    }
    if (username == null || username.isBlank() || password == null || password.isEmpty()) {
      return new String[] {"config_error", "credentials.username and password are required"};
    }
    return null;
  }

  // ---- cluster, nodes, license, users ----

  synchronized Reply getCluster() {
    var json = new LinkedHashMap<String, Object>();
    json.put("name", clusterName);
    json.put("created_time", bootstrapStart.plus(bootstrapDuration).toString());
    json.put("default_provisioned_redis_version", defaultDatabaseVersion());
    json.putAll(clusterSettings);
    return Reply.ok(json);
  }

  synchronized Reply putCluster(JsonNode body) {
    if (body == null || !body.isObject()) {
      return Reply.error(400, "invalid_schema", "the body must be a JSON object");
    }
    if (body.has("name")) {
      return Reply.error(400, "invalid_schema", "the cluster name cannot be changed");
    }
    body.properties()
        .forEach(e -> clusterSettings.put(e.getKey(), SimulatorJson.plain(e.getValue())));
    return getCluster();
  }

  /** The nodes, each having read its VERSION file first. */
  synchronized List<SimulatedNode> nodes(Instant now) {
    nodes.forEach(n -> n.refresh(now, nodeRestart));
    nodeActions.apply(nodes, now);
    electPrimary(now);
    return List.copyOf(nodes);
  }

  /**
   * A primary that is down (restarting after its software changed) hands the role to the first
   * active node, as the maintenance-mode page says: "the cluster elects a new master node when the
   * original master node restarts". It does not take the role back when it returns.
   */
  private void electPrimary(Instant now) {
    boolean primaryUp =
        nodes.stream().anyMatch(n -> n.uid == primaryNode && n.status(now).equals("active"));
    if (!primaryUp) {
      nodes.stream()
          .filter(n -> n.status(now).equals("active"))
          .findFirst()
          .ifPresent(n -> primaryNode = n.uid);
    }
  }

  /** The uid of the cluster's primary (master) node now. */
  synchronized int primaryNode() {
    nodes(clock.instant());
    return primaryNode;
  }

  /** {@code GET /v1/nodes/status}: each node's host name, role and status, keyed by uid. */
  synchronized Reply getNodeStatuses() {
    Instant now = clock.instant();
    var all = new LinkedHashMap<String, Object>();
    for (SimulatedNode n : nodes(now)) {
      all.put(String.valueOf(n.uid), n.statusJson(now, n.uid == primaryNode, shardsOn(n.uid)));
    }
    return Reply.ok(all);
  }

  /** {@code GET /v1/nodes/{uid}/status}. */
  synchronized Reply getNodeStatus(SimulatedNode node) {
    Instant now = clock.instant();
    nodes(now);
    return Reply.ok(node.statusJson(now, node.uid == primaryNode, shardsOn(node.uid)));
  }

  /**
   * {@code POST /v1/cluster/actions/change_master} with {@code {"node_uid": "2"}}: that node
   * becomes the primary (rladmin's {@code cluster master set}); it must be an active node.
   */
  synchronized Reply changeMaster(JsonNode body) {
    return changeMaster(text(body, "node_uid"));
  }

  synchronized Reply changeMaster(String uidText) {
    Optional<SimulatedNode> node = uidText == null ? Optional.empty() : node(uidText);
    if (node.isEmpty()) {
      return Reply.error(
          400, "invalid_schema", "node_uid must name a node of the cluster, was " + uidText);
    }
    if (!node.get().status(clock.instant()).equals("active")) {
      return Reply.error(
          409, "node_not_active", "node " + uidText + " is not active: it cannot be the master");
    }
    primaryNode = node.get().uid;
    return Reply.ok(Map.of());
  }

  synchronized Optional<SimulatedNode> node(String uidText) {
    return integer(uidText)
        .flatMap(uid -> nodes(clock.instant()).stream().filter(n -> n.uid == uid).findFirst());
  }

  /** The Redis versions every node can run, oldest first; the last is the default. */
  synchronized List<String> databaseVersions() {
    List<SimulatedNode> all = nodes(clock.instant());
    return all.get(0).databaseVersions().stream()
        .filter(v -> all.stream().allMatch(n -> n.databaseVersions().contains(v)))
        .toList();
  }

  synchronized String defaultDatabaseVersion() {
    List<String> versions = databaseVersions();
    return versions.isEmpty() ? null : versions.get(versions.size() - 1);
  }

  synchronized Reply getNodes() {
    Instant now = clock.instant();
    return Reply.ok(nodes(now).stream().map(n -> n.toJson(now, shardsOn(n.uid))).toList());
  }

  synchronized Reply getNode(String uidText) {
    Instant now = clock.instant();
    return node(uidText)
        .map(n -> Reply.ok(n.toJson(now, shardsOn(n.uid))))
        .orElseGet(() -> Reply.error(404, "node_not_found", "node " + uidText + " does not exist"));
  }

  /**
   * Where a database's (single, master) shard lives: node ((uid - 1) mod N) + 1, or the next node
   * that is not in maintenance and is up.
   */
  synchronized int shardNode(int databaseUid) {
    Instant now = clock.instant();
    List<SimulatedNode> all = nodes(now);
    for (int i = 0; i < all.size(); i++) {
      SimulatedNode n = all.get((databaseUid - 1 + i) % all.size());
      if (!n.maintenance && n.status(now).equals("active")) {
        return n.uid;
      }
    }
    return all.get((databaseUid - 1) % all.size()).uid;
  }

  private List<Integer> shardsOn(int nodeUid) {
    Instant now = clock.instant();
    return databases.values().stream()
        .filter(d -> !d.gone(now) && shardNode(d.uid) == nodeUid)
        .map(d -> d.uid)
        .toList();
  }

  synchronized Duration nodeRestart() {
    return nodeRestart;
  }

  void closeNodes() {
    nodes.forEach(SimulatedNode::deleteInstallDir);
    recoveries.close();
    locations.close();
  }

  synchronized Reply getLicense() {
    var json = new LinkedHashMap<String, Object>();
    json.put("expired", false);
    json.put("type", license == null ? "trial" : "production");
    json.put("activation_date", bootstrapStart.toString());
    json.put(
        "expiration_date",
        bootstrapStart.plus(Duration.ofDays(license == null ? 30 : 365)).toString());
    // Real clusters leave the owner empty unless the license names one.
    json.put("owner", null);
    json.put("cluster_name", clusterName);
    json.put("shards_limit", license == null ? 4 : 100);
    return Reply.ok(json);
  }

  synchronized Reply putLicense(JsonNode body) {
    String key = text(body, "license");
    if (key == null || key.isBlank()) {
      return Reply.error(400, "missing_license", "license is required");
    }
    if (!validLicense(key)) {
      return Reply.error(400, "invalid_license", "the license key cannot be parsed");
    }
    license = key;
    return getLicense();
  }

  private static boolean validLicense(String key) {
    return key.contains("LICENSE START")
        && !key.toLowerCase(java.util.Locale.ROOT).contains("invalid");
  }

  Reply getUsers() {
    return users.list();
  }

  Reply getUser(String uidText) {
    return users.get(uidText);
  }

  Reply createUser(JsonNode body) {
    return users.create(body, clock.instant());
  }

  // ---- databases and actions: see SimulatorDatabases ----

  synchronized <T> T withDatabases(
      BiFunction<Map<Integer, SimulatedDatabase>, Map<String, SimulatedAction>, T> body) {
    return body.apply(databases, actions);
  }

  synchronized int takeDatabaseUid() {
    return nextDatabaseUid++;
  }

  SimulatorOperations operations() {
    return operations;
  }

  SimulatorRecoveries recoveries() {
    return recoveries;
  }

  SimulatorNodeActions nodeActions() {
    return nodeActions;
  }

  SimulatorLocations locations() {
    return locations;
  }

  synchronized SimulatorDatabases databases() {
    return databasesEndpoints;
  }

  synchronized void attach(SimulatorDatabases endpoints) {
    this.databasesEndpoints = endpoints;
  }

  synchronized java.nio.file.Path sftpKnownHosts() {
    return sftpKnownHosts;
  }

  synchronized void sftpKnownHosts(java.nio.file.Path file) {
    this.sftpKnownHosts = file;
  }

  Clock clock() {
    return clock;
  }

  Duration databaseDuration() {
    return databaseDuration;
  }

  Duration deletionDuration() {
    return deletionDuration;
  }

  /** The memory of every node together. */
  long nodeMemory() {
    return nodeMemory * nodes.size();
  }

  RedisBackend backend() {
    return backend;
  }

  SSLContext endpointTls() {
    return endpointTls;
  }

  Faults faults() {
    return faults;
  }

  synchronized String clusterName() {
    return clusterName;
  }

  // ---- state kept across restarts: see SimulatorState ----

  /** The cluster's own state (bootstrap, name, license, settings, users) as plain JSON. */
  synchronized Map<String, Object> clusterSnapshot() {
    var json = new LinkedHashMap<String, Object>();
    json.put("bootstrapStart", bootstrapStart == null ? null : bootstrapStart.toString());
    json.put(
        "bootstrapError", bootstrapError == null ? null : java.util.Arrays.asList(bootstrapError));
    json.put("bootstrapAction", bootstrapAction);
    json.put("name", clusterName);
    json.put("license", license);
    json.put("settings", new LinkedHashMap<>(clusterSettings));
    json.put("users", users.snapshot());
    json.put("nextDatabaseUid", nextDatabaseUid);
    return json;
  }

  /** Puts back what {@link #clusterSnapshot} saved. */
  synchronized void restoreCluster(JsonNode saved) {
    String start = text(saved, "bootstrapStart");
    bootstrapStart = start == null ? null : Instant.parse(start);
    JsonNode error = saved.path("bootstrapError");
    bootstrapError =
        error.isArray() ? new String[] {error.get(0).asString(), error.get(1).asString()} : null;
    bootstrapAction = saved.path("bootstrapAction").asString("create_cluster");
    clusterName = text(saved, "name");
    license = text(saved, "license");
    saved
        .path("settings")
        .properties()
        .forEach(e -> clusterSettings.put(e.getKey(), SimulatorJson.plain(e.getValue())));
    users.restore(saved.path("users"));
    nextDatabaseUid = saved.path("nextDatabaseUid").asInt(1);
  }

  static String newActionUid() {
    return UUID.randomUUID().toString();
  }

  static String text(JsonNode body, String... path) {
    JsonNode node = body;
    for (String part : path) {
      if (node == null || !node.isObject()) {
        return null;
      }
      node = node.get(part);
    }
    return node == null || node.isNull() ? null : node.asString();
  }

  static Optional<Integer> integer(String text) {
    try {
      return Optional.of(Integer.parseInt(text));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
