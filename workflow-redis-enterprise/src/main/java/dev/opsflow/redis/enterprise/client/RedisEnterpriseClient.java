package dev.opsflow.redis.enterprise.client;

import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.WorkflowException;
import dev.opsflow.workflow.http.Auth;
import dev.opsflow.workflow.http.ErrorDecoder;
import dev.opsflow.workflow.http.HttpSettings;
import dev.opsflow.workflow.http.JsonHttpClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

/**
 * A typed client of the Redis Enterprise (Redis Software) REST API, on the core's {@link
 * JsonHttpClient}: base URL {@code https://HOST:9443}, HTTP basic auth, TLS verified by default
 * (trust the cluster's self-signed CA with {@link HttpSettings#withTrustedPem}; {@link
 * HttpSettings#withTrustAll()} is an explicit, logged opt-in).
 *
 * <pre>{@code
 * var client = RedisEnterpriseClient.create(
 *     RedisEnterpriseClient.settings("https://cluster:9443", "admin@example.com", password)
 *         .withTrustedPemFile(Path.of("proxy_cert.pem")));
 * BootstrapInfo boot = client.bootstrap();
 * }</pre>
 *
 * <p>Errors: a non-2xx answer is an {@link dev.opsflow.workflow.ApiException} carrying the API's
 * {@code error_code} and its {@code description} (7.4 clusters) or {@code message} (the documented
 * shape); 401 and 403 are of kind AUTH; 5xx, 429 and connection failures are retryable. The client
 * never retries by itself: steps do. Thread-safe.
 */
public final class RedisEnterpriseClient {
  /** The API's default port. */
  public static final int DEFAULT_PORT = 9443;

  /** The Cluster Manager UI's default port. */
  public static final int UI_PORT = 8443;

  private static final TypeReference<List<Database>> DATABASES = new TypeReference<>() {};
  private static final TypeReference<List<NodeInfo>> NODES = new TypeReference<>() {};
  private static final TypeReference<List<User>> USERS = new TypeReference<>() {};
  private static final TypeReference<List<Shard>> SHARDS = new TypeReference<>() {};
  private static final TypeReference<Map<String, NodeStatus>> NODE_STATUSES =
      new TypeReference<>() {};

  private final JsonHttpClient http;

  private RedisEnterpriseClient(JsonHttpClient http) {
    this.http = http;
  }

  /**
   * A client for the endpoint and credentials in {@code settings}.
   *
   * @param settings the base URI, credentials, TLS trust and timeouts
   * @return the client; thread-safe
   * @throws IllegalArgumentException if settings is null
   * @throws WorkflowException of kind CONFIGURATION if the trusted certificates cannot be read
   */
  public static RedisEnterpriseClient create(HttpSettings settings) {
    if (settings == null) {
      throw new IllegalArgumentException("settings must not be null");
    }
    // The API's own error shapes, unless the host chose a decoder.
    HttpSettings own =
        settings.errorDecoder() == ErrorDecoder.standard()
            ? settings.withErrorDecoder(EnterpriseErrorDecoder.INSTANCE)
            : settings;
    return new RedisEnterpriseClient(JsonHttpClient.create(own));
  }

  /**
   * A client over a prepared {@link JsonHttpClient}.
   *
   * @param http the JSON client to send the requests with
   * @return the client; thread-safe
   */
  public static RedisEnterpriseClient over(JsonHttpClient http) {
    return new RedisEnterpriseClient(Objects.requireNonNull(http, "http must not be null"));
  }

  /**
   * Settings for {@code url} ({@code https://host:9443}) with basic auth; TLS verified against the
   * JDK trust store until adjusted.
   *
   * @param url the cluster's REST API, {@code https://host:9443}
   * @param username the API user
   * @param password its password
   * @return the settings, to adjust or give to {@link #create}
   * @throws IllegalArgumentException for a malformed URL or missing credentials
   */
  public static HttpSettings settings(String url, String username, Secret password) {
    return HttpSettings.of(url).withAuth(Auth.basic(username, password));
  }

  /** {@return the settings this client was built with (base URI, trust, auth)} */
  public HttpSettings settings() {
    return http.settings();
  }

  /** {@return the API's base URI} */
  public URI baseUri() {
    return http.settings().baseUri();
  }

  // ---- bootstrap ----

  /** {@return {@code GET /v1/bootstrap}: the node's bootstrap status (without auth only before)} */
  public BootstrapInfo bootstrap() {
    return http.get("/v1/bootstrap", BootstrapInfo.class);
  }

  /**
   * {@code POST /v1/bootstrap/create_cluster}: starts creating a cluster on this node. It is
   * asynchronous: poll {@link #bootstrap()} until {@code completed} or {@code error}. A 409 means a
   * bootstrap is running already.
   *
   * @param request the cluster's name, admin credentials, license and paths
   */
  public void createCluster(CreateClusterRequest request) {
    Objects.requireNonNull(request, "request must not be null");
    http.post("/v1/bootstrap/create_cluster", request.toBody(), Void.class);
  }

  /**
   * {@code POST /v1/bootstrap/validate/create_cluster}: checks {@code request} as a bootstrap
   * would, synchronously, and changes nothing. Returns when the node would accept it.
   *
   * @param request the cluster's name, admin credentials, license and paths
   * @throws dev.opsflow.workflow.ApiException 406 with the bootstrap's {@code error_code} ({@code
   *     invalid_license}, {@code config_error}, ...) and its message when it would not; 409 when
   *     the node is bootstrapped or bootstrapping; 404 or 405 from a version without validation
   */
  public void validateCluster(CreateClusterRequest request) {
    Objects.requireNonNull(request, "request must not be null");
    http.post("/v1/bootstrap/validate/create_cluster", request.toBody(), Void.class);
  }

  /**
   * {@code POST /v1/bootstrap/join_cluster}: this fresh node joins an existing cluster. It is
   * asynchronous: poll {@link #bootstrap()} through {@code joining_cluster} until {@code completed}
   * (the node is then in the cluster's {@link #nodes()} and this node answers with the cluster's
   * credentials) or {@code error} ({@code access_denied} for wrong credentials, {@code
   * connect_error} when no cluster node answers). A 409 means this node is bootstrapped or
   * bootstrapping already.
   *
   * @param request the address of a cluster node, the cluster admin's credentials, and optionally
   *     the REST port and this node's storage paths; not null
   */
  public void joinCluster(JoinClusterRequest request) {
    Objects.requireNonNull(request, "request must not be null");
    http.post("/v1/bootstrap/join_cluster", request.toBody(), Void.class);
  }

  /**
   * {@code POST /v1/bootstrap/validate/join_cluster}: checks {@code request} as a join would,
   * reaching the cluster with the credentials, synchronously, and changes nothing. Returns when the
   * join would succeed.
   *
   * @param request the join to check: the address of a cluster node, the cluster admin's
   *     credentials, and optionally the REST port and this node's storage paths; not null
   * @throws dev.opsflow.workflow.ApiException 406 with the bootstrap's {@code error_code} ({@code
   *     access_denied}, {@code connect_error}, {@code config_error}) and its message when the join
   *     would fail; 409 when this node is bootstrapped or bootstrapping
   */
  public void validateJoin(JoinClusterRequest request) {
    Objects.requireNonNull(request, "request must not be null");
    http.post("/v1/bootstrap/validate/join_cluster", request.toBody(), Void.class);
  }

  // ---- cluster, nodes, license ----

  /** {@return {@code GET /v1/cluster}} */
  public ClusterInfo cluster() {
    return http.get("/v1/cluster", ClusterInfo.class);
  }

  /** {@return {@code GET /v1/cluster} as a tree, every field included} */
  public JsonNode clusterRaw() {
    return http.get("/v1/cluster", JsonNode.class);
  }

  /**
   * {@code PUT /v1/cluster}: changes the given settings ({@code email_alerts}, ...).
   *
   * @param settings the cluster settings to change, by their API names
   * @return the cluster as it is after the change
   */
  public ClusterInfo updateCluster(Map<String, ?> settings) {
    Objects.requireNonNull(settings, "settings must not be null");
    return http.put("/v1/cluster", settings, ClusterInfo.class);
  }

  /** {@return {@code GET /v1/nodes}} */
  public List<NodeInfo> nodes() {
    return http.get("/v1/nodes", NODES);
  }

  /**
   * {@code GET /v1/nodes/status}: each node's role ({@code master} for the primary node) by node
   * uid; 404 on clusters older than 6.2.18, which lack it.
   *
   * @return each node's host name, role and status, keyed by the node's uid (as a string); empty
   *     when the cluster reports none
   */
  public Map<String, NodeStatus> nodeStatuses() {
    Map<String, NodeStatus> all = http.get("/v1/nodes/status", NODE_STATUSES);
    return all == null ? Map.of() : all;
  }

  /**
   * {@code GET /v1/nodes/{uid}}; 404 when there is none.
   *
   * @param uid the node's uid
   * @return the node
   */
  public NodeInfo node(int uid) {
    return http.get("/v1/nodes/" + uid, NodeInfo.class);
  }

  /**
   * {@code POST /v1/nodes/{uid}/actions/{action}}: starts a node action ({@code maintenance_on},
   * {@code maintenance_off}, ...); 409 while the same action runs on that node.
   *
   * @param uid the node's uid
   * @param action the action's name
   * @param body the action's parameters, or an empty map
   * @return the action started
   */
  public Action startNodeAction(int uid, String action, Map<String, ?> body) {
    Objects.requireNonNull(action, "action must not be null");
    return http.post("/v1/nodes/" + uid + "/actions/" + action, body, Action.class);
  }

  /**
   * {@code GET /v1/nodes/{uid}/actions/{action}}: the last run of that action; 404 when none.
   *
   * @param uid the node's uid
   * @param action the action's name
   * @return the action's last run
   */
  public Action nodeAction(int uid, String action) {
    return http.get("/v1/nodes/" + uid + "/actions/" + action, Action.class);
  }

  /** {@return {@code GET /v1/shards}} */
  public List<Shard> shards() {
    List<Shard> all = http.get("/v1/shards", SHARDS);
    return all == null ? List.of() : all;
  }

  /**
   * {@code POST /v1/bootstrap/recover_cluster}: starts recovering a lost cluster on this node from
   * its configuration file ({@code recovery_filename}); poll {@link #bootstrap()} as for a create.
   *
   * @param body the recovery request: {@code recovery_filename} and the admin credentials
   */
  public void recoverCluster(Map<String, ?> body) {
    http.post("/v1/bootstrap/recover_cluster", body, Void.class);
  }

  /**
   * {@code POST /v1/bootstrap/validate/recover_cluster}: the same checks, changing nothing.
   *
   * @param body the recovery request: {@code recovery_filename} and the admin credentials
   */
  public void validateRecovery(Map<String, ?> body) {
    http.post("/v1/bootstrap/validate/recover_cluster", body, Void.class);
  }

  /** {@return {@code GET /v1/license}} */
  public LicenseInfo license() {
    return http.get("/v1/license", LicenseInfo.class);
  }

  /**
   * {@code PUT /v1/license}: installs a license key.
   *
   * @param license the license key
   * @return the license as installed
   */
  public LicenseInfo updateLicense(Secret license) {
    Objects.requireNonNull(license, "license must not be null");
    return http.put("/v1/license", Map.of("license", license.reveal()), LicenseInfo.class);
  }

  // ---- databases ----

  /** {@return {@code GET /v1/bdbs}} */
  public List<Database> databases() {
    List<Database> all = http.get("/v1/bdbs", DATABASES);
    return all == null ? List.of() : all;
  }

  /**
   * The database named {@code name}, if any (from {@code GET /v1/bdbs}).
   *
   * @param name a database's name
   * @return the database, or empty when none has that name
   */
  public Optional<Database> databaseNamed(String name) {
    return databases().stream().filter(d -> name.equals(d.name())).findFirst();
  }

  /**
   * {@code GET /v1/bdbs/{uid}}; 404 when there is none.
   *
   * @param uid the database's uid
   * @return the database
   */
  public Database database(int uid) {
    return http.get("/v1/bdbs/" + uid, Database.class);
  }

  /**
   * {@code POST /v1/bdbs}: creates a database. The answer carries its {@code uid} and, when the
   * creation is asynchronous, the {@code action_uid} to poll; it stays {@code pending} until the
   * action completes. 406 for an invalid configuration, 409 when busy.
   *
   * @param request the database's name, memory and settings
   * @return the database as created, usually still {@code pending}
   */
  public Database createDatabase(CreateDatabaseRequest request) {
    Objects.requireNonNull(request, "request must not be null");
    return http.post("/v1/bdbs", request.toBody(), Database.class);
  }

  /**
   * {@code PUT /v1/bdbs/{uid}}: changes the given fields.
   *
   * @param uid the database's uid
   * @param changes the fields to change, by their API names
   * @return the database after the change
   */
  public Database updateDatabase(int uid, Map<String, ?> changes) {
    Objects.requireNonNull(changes, "changes must not be null");
    return http.put("/v1/bdbs/" + uid, changes, Database.class);
  }

  /**
   * {@code GET /v1/bdbs/{uid}} as a tree, every field included (secrets too: never log it).
   *
   * @param uid the database's uid
   * @return the database's JSON as the API answered it
   */
  public JsonNode databaseRaw(int uid) {
    return http.get("/v1/bdbs/" + uid, JsonNode.class);
  }

  /**
   * {@code POST /v1/bdbs/{uid}/upgrade}: upgrades the database's Redis version ({@code
   * redis_version}, {@code preserve_roles}, {@code parallel_shards_upgrade}, {@code
   * may_discard_data}, ...). The answer is the database with the {@code action_uid} to follow.
   *
   * @param uid the database's uid
   * @param options the upgrade's parameters, by their API names
   * @return the database as the answer shows it
   */
  public Database upgradeDatabase(int uid, Map<String, ?> options) {
    Objects.requireNonNull(options, "options must not be null");
    return http.post("/v1/bdbs/" + uid + "/upgrade", options, Database.class);
  }

  /**
   * {@code POST /v1/bdbs/{uid}/actions/export} with {@code export_location}: progress is in the
   * database's {@code export_status}; 409 while it is busy.
   *
   * @param uid the database's uid
   * @param body the export request: {@code export_location}
   */
  public void exportDatabase(int uid, Map<String, ?> body) {
    http.post("/v1/bdbs/" + uid + "/actions/export", body, Void.class);
  }

  /**
   * {@code POST /v1/bdbs/{uid}/actions/import} with {@code dataset_import_sources}: progress is in
   * the database's {@code import_status}; 409 while it is busy.
   *
   * @param uid the database's uid
   * @param body the import request: {@code dataset_import_sources}
   */
  public void importDatabase(int uid, Map<String, ?> body) {
    http.post("/v1/bdbs/" + uid + "/actions/import", body, Void.class);
  }

  /**
   * {@code GET /v1/bdbs/{uid}/actions/recover}: the database's recovery plan.
   *
   * @param uid the database's uid
   * @return the plan, as the API answered it
   */
  public JsonNode recoveryPlan(int uid) {
    return http.get("/v1/bdbs/" + uid + "/actions/recover", JsonNode.class);
  }

  /**
   * {@code POST /v1/bdbs/{uid}/actions/recover}: recovers it; the action's uid.
   *
   * @param uid the database's uid
   * @param body the recovery's parameters, or an empty map
   * @return the uid of the recovery action, to poll with {@link #action}
   */
  public String recoverDatabase(int uid, Map<String, ?> body) {
    JsonNode answer = http.post("/v1/bdbs/" + uid + "/actions/recover", body, JsonNode.class);
    return answer == null || !answer.has("action_uid") ? null : answer.get("action_uid").asString();
  }

  /**
   * {@code DELETE /v1/bdbs/{uid}}.
   *
   * @param uid the database's uid
   */
  public void deleteDatabase(int uid) {
    http.delete("/v1/bdbs/" + uid);
  }

  // ---- actions ----

  /**
   * {@return {@code GET /v1/actions}: the running and recent actions} The answer is an object with
   * {@code actions} and {@code state-machines} arrays (not an array); both are returned.
   */
  public List<Action> actions() {
    JsonNode answer = http.get("/v1/actions", JsonNode.class);
    var out = new ArrayList<Action>();
    if (answer == null) {
      return out;
    }
    if (answer.isArray()) {
      throw new WorkflowException(
          ErrorKind.PROTOCOL,
          "GET /v1/actions answered an array; expected an object with 'actions'");
    }
    for (String field : List.of("actions", "state-machines")) {
      JsonNode list = answer.get(field);
      if (list != null && list.isArray()) {
        for (JsonNode item : list) {
          out.add(Json.mapper().treeToValue(item, Action.class));
        }
      }
    }
    return out;
  }

  /**
   * {@code GET /v1/actions/{uid}}; 404 when there is none.
   *
   * @param uid the action's uid
   * @return the action
   */
  public Action action(String uid) {
    Objects.requireNonNull(uid, "uid must not be null");
    return http.get("/v1/actions/" + uid, Action.class);
  }

  // ---- users ----

  /** {@return {@code GET /v1/users}} */
  public List<User> users() {
    List<User> all = http.get("/v1/users", USERS);
    return all == null ? List.of() : all;
  }

  /**
   * {@code POST /v1/users}: creates a user.
   *
   * @param request the user's email, password and role
   * @return the user as created
   */
  public User createUser(CreateUserRequest request) {
    Objects.requireNonNull(request, "request must not be null");
    return http.post("/v1/users", request.toBody(), User.class);
  }

  @Override
  public String toString() {
    return "RedisEnterpriseClient[" + baseUri() + "]";
  }
}
