package dev.opsflow.redis.cloud.testing;

import dev.opsflow.redis.cloud.testing.CloudState.Db;
import dev.opsflow.redis.cloud.testing.CloudState.RegionInfo;
import dev.opsflow.redis.cloud.testing.CloudState.Sub;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The routes of the simulated API below {@code /v1}: account lookups, tasks, Pro subscriptions,
 * databases and Active-Active regions; Essentials routes are in {@link EssentialsRoutes}, VPC
 * peerings in {@link PeeringRoutes}. Schema violations answer 400 at once; the API's semantic
 * checks fail the task with the real error codes, as the service does.
 */
final class CloudApi {
  static final List<String> REGIONS_AWS =
      List.of("us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1");
  static final List<String> REGIONS_GCP = List.of("us-central1", "europe-west1", "asia-east1");
  static final long PAYMENT_METHOD_ID = 12_345;

  private final CloudState state;
  private final EssentialsRoutes essentials;
  private final PeeringRoutes peerings;

  CloudApi(CloudState state) {
    this.state = state;
    this.essentials = new EssentialsRoutes(state);
    this.peerings = new PeeringRoutes(state);
  }

  SimResponse handle(String method, String path, String query, JsonNode body) {
    synchronized (state) {
      state.advance();
      String[] p = path.replaceAll("^/+|/+$", "").split("/");
      String route = method + " " + String.join("/", shape(p));
      if (p[0].equals("fixed")) {
        return essentials.handle(method, p, query, body);
      }
      return switch (route) {
        case "GET payment-methods" -> paymentMethods();
        case "GET cloud-accounts" -> cloudAccounts();
        case "GET regions" -> regions(query);
        case "GET tasks" -> tasks();
        case "GET tasks/*" -> task(p[1]);
        case "GET subscriptions" -> subscriptions();
        case "POST subscriptions" -> createSubscription(body);
        case "GET subscriptions/#" ->
            withSub(p[1], s -> SimResponse.ok(state.subscriptionJson(s, state.now())));
        case "DELETE subscriptions/#" -> withSub(p[1], this::deleteSubscription);
        case "GET subscriptions/#/regions" -> withSub(p[1], this::regionsOf);
        case "GET subscriptions/#/databases" ->
            withSub(p[1], s -> SimResponse.ok(state.databasesJson(s, state.now(), false)));
        case "POST subscriptions/#/databases" -> withSub(p[1], s -> createDatabase(s, body));
        case "GET subscriptions/#/databases/#" ->
            withDb(p[1], p[3], (s, d) -> SimResponse.ok(state.databaseJson(s, d, state.now())));
        case "PUT subscriptions/#/databases/#" ->
            withDb(p[1], p[3], (s, d) -> updateDatabase(s, d, body));
        case "PUT subscriptions/#/databases/#/regions" ->
            withDb(p[1], p[3], (s, d) -> updateActiveActive(s, d, body));
        case "DELETE subscriptions/#/databases/#" -> withDb(p[1], p[3], this::deleteDatabase);
        case "GET subscriptions/#/peerings" -> withSub(p[1], peerings::list);
        case "POST subscriptions/#/peerings" -> withSub(p[1], s -> peerings.create(s, body));
        case "DELETE subscriptions/#/peerings/#" -> withSub(p[1], s -> peerings.delete(s, p[3]));
        default -> SimResponse.error(404, "NOT_FOUND", "no route " + method + " /v1/" + path);
      };
    }
  }

  /** Path segments with numbers as {@code #} and task ids as {@code *}. */
  static List<String> shape(String[] p) {
    var out = new ArrayList<String>();
    for (int i = 0; i < p.length; i++) {
      boolean taskId = i == 1 && p[0].equals("tasks");
      out.add(taskId ? "*" : p[i].matches("\\d+") ? "#" : p[i]);
    }
    return out;
  }

  interface SubAction {
    SimResponse apply(Sub s);
  }

  interface DbAction {
    SimResponse apply(Sub s, Db d);
  }

  SimResponse withSub(String id, SubAction action) {
    Sub s = state.subscriptions.get(Long.parseLong(id));
    if (s == null || s.fixed) {
      return SimResponse.error(404, "SUBSCRIPTION_NOT_FOUND", "Subscription " + id + " not found");
    }
    return action.apply(s);
  }

  private SimResponse withDb(String subId, String dbId, DbAction action) {
    return withSub(
        subId,
        s -> {
          Db d = s.databases.get(Long.parseLong(dbId));
          return d == null
              ? SimResponse.error(404, "DATABASE_NOT_FOUND", "Database " + dbId + " not found")
              : action.apply(s, d);
        });
  }

  private SimResponse paymentMethods() {
    ObjectNode root = account();
    root.putArray("paymentMethods")
        .addObject()
        .put("id", PAYMENT_METHOD_ID)
        .put("type", "Visa")
        .put("creditCardEndsWith", 1111)
        .put("nameOnCard", "Simulated User")
        .put("expirationMonth", 12)
        .put("expirationYear", 2030);
    return SimResponse.ok(root);
  }

  private SimResponse cloudAccounts() {
    ObjectNode root = account();
    root.putArray("cloudAccounts")
        .addObject()
        .put("id", 1)
        .put("name", "Redis Internal Resources")
        .put("provider", "AWS")
        .put("status", "active");
    return SimResponse.ok(root);
  }

  private SimResponse regions(String query) {
    ObjectNode root = CloudState.F.objectNode();
    ArrayNode regions = root.putArray("regions");
    boolean gcpOnly = query != null && query.contains("provider=GCP");
    boolean awsOnly = query != null && query.contains("provider=AWS");
    if (!gcpOnly) {
      REGIONS_AWS.forEach(r -> regions.addObject().put("name", r).put("provider", "AWS"));
    }
    if (!awsOnly) {
      REGIONS_GCP.forEach(r -> regions.addObject().put("name", r).put("provider", "GCP"));
    }
    return SimResponse.ok(root);
  }

  private SimResponse tasks() {
    ObjectNode root = CloudState.F.objectNode();
    ArrayNode all = root.putArray("tasks");
    state.tasks.values().forEach(t -> all.add(t.toJson(state.now())));
    return SimResponse.ok(root);
  }

  private SimResponse task(String id) {
    SimTask t = state.tasks.get(id);
    return t == null
        ? SimResponse.error(404, "TASK_NOT_FOUND", "Task " + id + " not found")
        : SimResponse.ok(t.toJson(state.now()));
  }

  private SimResponse subscriptions() {
    ObjectNode root = account();
    ArrayNode list = root.putArray("subscriptions");
    state.subscriptions.values().stream()
        .filter(s -> !s.fixed)
        .forEach(s -> list.add(state.subscriptionJson(s, state.now())));
    return SimResponse.ok(root);
  }

  private SimResponse createSubscription(JsonNode body) {
    String schema = SubscriptionChecks.schemaProblem(body);
    if (schema != null) {
      String code = schema.contains("provider") ? "NOT_KNOWN_CLOUD_PROVIDER" : "BAD_REQUEST";
      return SimResponse.error(400, code, schema);
    }
    long pending =
        state.subscriptions.values().stream()
            .filter(s -> !s.status(state.now()).equals("active"))
            .count();
    String[] problem = SubscriptionChecks.semanticProblem(body, pending);
    boolean dryRun = body.path("dryRun").asBoolean(false);
    long id = state.nextId();
    SimTask task =
        state.newTask(
            "subscriptionCreateRequest",
            state.settings.subscriptionTask(),
            dryRun ? (at, self) -> plan(self, body) : (at, self) -> addSubscription(id, body, at),
            problem == null
                ? null
                : new SimTask.ErrorSpec(problem[0], "400 BAD_REQUEST", problem[1], false),
            null);
    return SimResponse.accepted(task, state.now());
  }

  private static Long plan(SimTask self, JsonNode body) {
    ObjectNode resource = CloudState.F.objectNode();
    resource
        .putArray("pricing")
        .addObject()
        .put("type", "Shards")
        .put("quantity", body.path("databases").size())
        .put("pricePerUnit", 0.12);
    self.resource = resource;
    return null;
  }

  private Long addSubscription(long id, JsonNode body, Instant at) {
    var s = new Sub();
    s.id = id;
    s.name = body.path("name").asString("subscription-" + id);
    JsonNode provider = body.path("cloudProviders").path(0);
    s.provider = provider.path("provider").asString("AWS");
    s.deploymentType = body.path("deploymentType").asString("single-region");
    s.paymentMethod = body.path("paymentMethod").asString("credit-card");
    s.paymentMethodId = body.has("paymentMethodId") ? body.get("paymentMethodId").asLong() : null;
    s.memoryStorage = body.path("memoryStorage").asString("ram");
    for (JsonNode r : provider.path("regions")) {
      s.regions.add(
          new RegionInfo(
              state.nextId(),
              r.path("region").asString(),
              r.path("networking").path("deploymentCIDR").asString("10.0.0.0/24")));
    }
    s.activeAt = at.plus(state.settings.subscriptionProvisioning());
    state.subscriptions.put(id, s);
    for (JsonNode spec : body.path("databases")) {
      int quantity = Math.max(1, spec.path("quantity").asInt(1));
      for (int i = 0; i < quantity; i++) {
        String name = spec.path("name").asString() + (quantity > 1 ? "-" + (i + 1) : "");
        // The subscription-create database spec has no enableTls: TLS is set by an update.
        state.addDatabase(s, name, (ObjectNode) spec, false, s.activeAt);
      }
    }
    return id;
  }

  private SimResponse deleteSubscription(Sub s) {
    SimTask task =
        state.deleteSubscriptionTask(
            s,
            "subscriptionDeleteRequest",
            state.settings.subscriptionTask(),
            "Subscription " + s.id + " still has databases: delete them first");
    if (task.error == null && !task.stuck) {
      s.deleting = true;
    }
    return SimResponse.processed(task, state.now());
  }

  private SimResponse regionsOf(Sub s) {
    ObjectNode root = CloudState.F.objectNode();
    root.put("subscriptionId", s.id);
    ArrayNode regions = root.putArray("regions");
    for (RegionInfo r : s.regions) {
      ObjectNode region = regions.addObject();
      region.put("regionId", r.regionId());
      region.put("region", r.region());
      region.put("deploymentCIDR", r.cidr());
      region.put("vpcId", "vpc-" + Long.toHexString(r.regionId()));
      ArrayNode dbs = region.putArray("databases");
      s.databases
          .values()
          .forEach(d -> dbs.addObject().put("databaseId", d.id).put("databaseName", d.name));
    }
    return SimResponse.ok(root);
  }

  private SimResponse createDatabase(Sub s, JsonNode body) {
    if (body == null || !body.isObject() || !body.hasNonNull("name")) {
      return SimResponse.error(400, "BAD_REQUEST", "name is required");
    }
    String bad = Validation.enumProblem(body, "dataPersistence", Validation.PERSISTENCE);
    bad = bad != null ? bad : Validation.booleanProblem(body, "enableTls");
    if (bad != null) {
      return SimResponse.error(400, "BAD_REQUEST", bad);
    }
    String name = body.get("name").asString();
    boolean tls = body.path("enableTls").asBoolean(false);
    SimTask.ErrorSpec error = null;
    if (!Validation.NAME.matcher(name).matches()) {
      error = taskError("DATABASE_INVALID_NAME", "Database name '" + name + "' is invalid");
    } else if (s.databases.values().stream().anyMatch(d -> d.name.equals(name))) {
      error = taskError("DATABASE_NAME_EXISTS", "Database name '" + name + "' already exists");
    } else if (!s.status(state.now()).equals("active")) {
      error = taskError("SUBSCRIPTION_NOT_ACTIVE", "Subscription " + s.id + " is not active");
    }
    Duration provisioning = state.settings.databaseProvisioning();
    SimTask task =
        state.newTask(
            "databaseCreateRequest",
            state.settings.databaseTask(),
            (at, self) ->
                state.addDatabase(s, name, (ObjectNode) body, tls, at.plus(provisioning)).id,
            error,
            null);
    if (task.error == null && !task.stuck) {
      s.busy.add(new Instant[] {task.start, task.end.plus(provisioning)});
    }
    return SimResponse.accepted(task, state.now());
  }

  /**
   * {@code PUT .../databases/{id}}: the fields given replace the database's; {@code enableTls}
   * restarts its endpoints with or without TLS when the task completes, as the service applies it.
   */
  private SimResponse updateDatabase(Sub s, Db d, JsonNode body) {
    if (body == null || !body.isObject()) {
      return SimResponse.error(400, "BAD_REQUEST", "a JSON object is required");
    }
    String bad = Validation.booleanProblem(body, "enableTls");
    if (bad != null) {
      return SimResponse.error(400, "BAD_REQUEST", bad);
    }
    // Replica Of is checked as the service does it: the task ends in processing-error.
    String[] replicaProblem =
        body.has("replica") ? CloudReplicas.problem(s, d, body.get("replica")) : null;
    SimTask task =
        state.newTask(
            "databaseUpdateRequest",
            state.settings.databaseTask(),
            (at, self) -> state.update(d, (ObjectNode) body),
            replicaProblem == null ? null : taskError(replicaProblem[0], replicaProblem[1]),
            d.id);
    return SimResponse.processed(task, state.now());
  }

  /**
   * {@code PUT .../databases/{id}/regions} ({@code CrdbUpdatePropertiesRequest}), for Active-Active
   * databases only: the global fields given replace the database's, {@code enableTls} as above.
   */
  private SimResponse updateActiveActive(Sub s, Db d, JsonNode body) {
    if (body == null || !body.isObject()) {
      return SimResponse.error(400, "BAD_REQUEST", "a JSON object is required");
    }
    String bad = Validation.booleanProblem(body, "enableTls");
    if (bad != null) {
      return SimResponse.error(400, "BAD_REQUEST", bad);
    }
    SimTask.ErrorSpec error =
        "active-active".equals(s.deploymentType)
            ? null
            : taskError(
                "ACTIVE_ACTIVE_REQUEST_GENERAL_ERROR",
                "Database " + d.id + " is not an Active-Active database");
    ObjectNode changes = ((ObjectNode) body).deepCopy();
    changes.remove("regions");
    SimTask task =
        state.newTask(
            "activeActiveDatabaseUpdateRequest",
            state.settings.databaseTask(),
            (at, self) -> state.update(d, changes),
            error,
            d.id);
    return SimResponse.processed(task, state.now());
  }

  private SimResponse deleteDatabase(Sub s, Db d) {
    SimTask task =
        state.newTask(
            "databaseDeleteRequest",
            state.settings.databaseTask(),
            (at, self) -> {
              s.databases.remove(d.id);
              state.stopEndpoints(d);
              return d.id;
            },
            null,
            d.id);
    return SimResponse.processed(task, state.now());
  }

  static SimTask.ErrorSpec taskError(String code, String description) {
    return new SimTask.ErrorSpec(code, "400 BAD_REQUEST", description, false);
  }

  private static ObjectNode account() {
    ObjectNode root = CloudState.F.objectNode();
    root.put("accountId", SimulatorSettings.ACCOUNT_ID);
    return root;
  }

  static boolean distinct(List<String> names) {
    return new HashSet<>(names).size() == names.size();
  }
}
