package dev.opsflow.redis.cloud.testing;

import dev.opsflow.redis.cloud.testing.CloudState.Db;
import dev.opsflow.redis.cloud.testing.CloudState.RegionInfo;
import dev.opsflow.redis.cloud.testing.CloudState.Sub;
import java.time.Duration;
import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Essentials (fixed) routes: plans, subscriptions and their databases. Plan 1001 is the free 30
 * MB plan (one database, one per account); plan 1002 a paid 250 MB plan.
 */
final class EssentialsRoutes {
  static final long FREE_PLAN = 1001;
  static final long PAID_PLAN = 1002;

  private final CloudState state;

  EssentialsRoutes(CloudState state) {
    this.state = state;
  }

  SimResponse handle(String method, String[] p, String query, JsonNode body) {
    String route = method + " " + String.join("/", CloudApi.shape(p));
    return switch (route) {
      case "GET fixed/plans" -> plans(query);
      case "GET fixed/subscriptions" -> list();
      case "POST fixed/subscriptions" -> create(body);
      case "GET fixed/subscriptions/#" ->
          withSub(p[2], s -> SimResponse.ok(state.subscriptionJson(s, state.now())));
      case "DELETE fixed/subscriptions/#" -> withSub(p[2], this::delete);
      case "GET fixed/subscriptions/#/databases" ->
          withSub(p[2], s -> SimResponse.ok(state.databasesJson(s, state.now(), true)));
      case "POST fixed/subscriptions/#/databases" -> withSub(p[2], s -> createDb(s, body));
      case "GET fixed/subscriptions/#/databases/#" ->
          withDb(p[2], p[4], (s, d) -> SimResponse.ok(state.databaseJson(s, d, state.now())));
      case "PUT fixed/subscriptions/#/databases/#" ->
          withDb(p[2], p[4], (s, d) -> update(s, d, body));
      case "DELETE fixed/subscriptions/#/databases/#" ->
          withDb(
              p[2],
              p[4],
              (s, d) -> {
                SimTask t =
                    state.newTask(
                        "fixedDatabaseDeleteRequest",
                        state.settings.databaseTask(),
                        (at, self) -> {
                          s.databases.remove(d.id);
                          state.stopEndpoints(d);
                          return d.id;
                        },
                        null,
                        d.id);
                return SimResponse.processed(t, state.now());
              });
      default -> SimResponse.error(404, "NOT_FOUND", "no route " + route);
    };
  }

  private SimResponse plans(String query) {
    ObjectNode root = CloudState.F.objectNode();
    ArrayNode plans = root.putArray("plans");
    if (query == null || !query.contains("provider=GCP")) {
      plans.add(plan(FREE_PLAN, "Standard 30MB", 30, 0, 1));
      plans.add(plan(PAID_PLAN, "Standard 250MB", 250, 7, 4));
    }
    return SimResponse.ok(root);
  }

  private static ObjectNode plan(long id, String name, int mb, int price, int maxDbs) {
    ObjectNode p = CloudState.F.objectNode();
    p.put("id", id)
        .put("name", name)
        .put("size", mb)
        .put("sizeMeasurementUnit", "MB")
        .put("provider", "AWS")
        .put("region", "us-east-1")
        .put("regionId", 1)
        .put("price", price)
        .put("priceCurrency", "USD")
        .put("pricePeriod", "Month")
        .put("maximumDatabases", maxDbs)
        .put("supportReplication", price > 0)
        .put("supportDataPersistence", price > 0)
        .put("supportSsl", supportsTls(id));
    return p;
  }

  private SimResponse list() {
    ObjectNode root = CloudState.F.objectNode();
    root.put("accountId", SimulatorSettings.ACCOUNT_ID);
    ArrayNode list = root.putArray("subscriptions");
    state.subscriptions.values().stream()
        .filter(s -> s.fixed)
        .forEach(s -> list.add(state.subscriptionJson(s, state.now())));
    return SimResponse.ok(root);
  }

  private SimResponse create(JsonNode body) {
    if (body == null || !body.isObject() || !body.hasNonNull("name")) {
      return SimResponse.error(400, "FIXED_SUBSCRIPTION_NAME_NOT_PROVIDED", "name is required");
    }
    if (!body.hasNonNull("planId")) {
      return SimResponse.error(400, "FIXED_SUBSCRIPTION_PLAN_NOT_PROVIDED", "planId is required");
    }
    String name = body.get("name").asString();
    long planId = body.get("planId").asLong();
    SimTask.ErrorSpec error = null;
    if (name.isBlank() || name.length() > 40) {
      error =
          CloudApi.taskError("FIXED_SUBSCRIPTION_INVALID_NAME", "Name '" + name + "' is invalid");
    } else if (planId != FREE_PLAN && planId != PAID_PLAN) {
      error =
          CloudApi.taskError(
              "FIXED_SUBSCRIPTION_CREATE_PLAN_NOT_FOUND", "Plan " + planId + " not found");
    } else if (planId == FREE_PLAN
        && state.subscriptions.values().stream().anyMatch(s -> s.fixed && s.freePlan)) {
      error =
          CloudApi.taskError(
              "FIXED_SUBSCRIPTION_ACCOUNT_ALREADY_HAS_A_FREE_PLAN",
              "The account already has a free subscription");
    }
    long id = state.nextId();
    Long paymentMethodId =
        body.has("paymentMethodId") ? body.get("paymentMethodId").asLong() : null;
    SimTask task =
        state.newTask(
            "fixedSubscriptionCreateRequest",
            state.settings.databaseTask(),
            (at, self) -> {
              var s = new Sub();
              s.id = id;
              s.name = name;
              s.fixed = true;
              s.provider = "AWS";
              s.planId = planId;
              s.freePlan = planId == FREE_PLAN;
              s.paymentMethodId = paymentMethodId;
              s.regions.add(new RegionInfo(1, "us-east-1", null));
              s.activeAt = at.plus(state.settings.databaseProvisioning());
              state.subscriptions.put(id, s);
              return id;
            },
            error,
            null);
    return SimResponse.accepted(task, state.now());
  }

  private SimResponse delete(Sub s) {
    SimTask task =
        state.deleteSubscriptionTask(
            s,
            "fixedSubscriptionDeleteRequest",
            state.settings.databaseTask(),
            "Subscription " + s.id + " still has databases");
    return SimResponse.processed(task, state.now());
  }

  private SimResponse createDb(Sub s, JsonNode body) {
    if (body == null || !body.isObject() || !body.hasNonNull("name")) {
      return SimResponse.error(400, "FIXED_DATABASE_NAME_IS_MISSING", "name is required");
    }
    String bad = Validation.booleanProblem(body, "enableTls");
    if (bad != null) {
      return SimResponse.error(400, "BAD_REQUEST", bad);
    }
    String name = body.get("name").asString();
    boolean tls = body.path("enableTls").asBoolean(false);
    int max = s.freePlan ? 1 : 4;
    SimTask.ErrorSpec error = null;
    if (!Validation.NAME.matcher(name).matches()) {
      error =
          CloudApi.taskError("DATABASE_INVALID_NAME", "Database name '" + name + "' is invalid");
    } else if (s.databases.values().stream().anyMatch(d -> d.name.equals(name))) {
      error =
          CloudApi.taskError("DATABASE_NAME_EXISTS", "Database name '" + name + "' already exists");
    } else if (s.databases.size() >= max) {
      error =
          CloudApi.taskError(
              "FIXED_DATABASE_FIXED_SUBSCRIPTION_REACHED_MAX_DATABASES_COUNT",
              "The plan allows " + max + " database(s)");
    } else if (tlsProblem(s, body) != null) {
      error = tlsProblem(s, body);
    } else if (!s.status(state.now()).equals("active")) {
      error =
          CloudApi.taskError("SUBSCRIPTION_NOT_ACTIVE", "Subscription " + s.id + " is not active");
    }
    Duration provisioning = state.settings.databaseProvisioning();
    SimTask task =
        state.newTask(
            "fixedDatabaseCreateRequest",
            state.settings.databaseTask(),
            (at, self) ->
                state.addDatabase(s, name, (ObjectNode) body, tls, at.plus(provisioning)).id,
            error,
            null);
    if (task.error == null && !task.stuck) {
      s.busy.add(new Instant[] {task.start, task.end.plus(provisioning)});
    }
    return SimResponse.processed(task, state.now());
  }

  /**
   * {@code PUT /fixed/subscriptions/{id}/databases/{id}}: the fields given replace the database's;
   * {@code enableTls} restarts its endpoint with or without TLS when the task completes, and fails
   * the task on a plan without TLS (the free plan), as the service does.
   */
  private SimResponse update(Sub s, Db d, JsonNode body) {
    if (body == null || !body.isObject()) {
      return SimResponse.error(400, "BAD_REQUEST", "a JSON object is required");
    }
    String bad = Validation.booleanProblem(body, "enableTls");
    if (bad != null) {
      return SimResponse.error(400, "BAD_REQUEST", bad);
    }
    SimTask t =
        state.newTask(
            "fixedDatabaseUpdateRequest",
            state.settings.databaseTask(),
            (at, self) -> state.update(d, (ObjectNode) body),
            tlsProblem(s, body),
            d.id);
    return SimResponse.processed(t, state.now());
  }

  /** The API's error for TLS asked of a plan without it (the free plan), or null. */
  private static SimTask.ErrorSpec tlsProblem(Sub s, JsonNode body) {
    return body.path("enableTls").asBoolean(false) && !supportsTls(s.planId)
        ? CloudApi.taskError(
            "FIXED_DATABASE_ENABLE_TLS_NOT_SUPPORTED_IN_REQUESTED_PLAN",
            "TLS is not supported by plan " + s.planId + "; it needs a paid plan")
        : null;
  }

  /** Whether the plan offers TLS: the paid plan does, the free one does not. */
  static boolean supportsTls(Long planId) {
    return planId != null && planId == PAID_PLAN;
  }

  private SimResponse withSub(String id, CloudApi.SubAction action) {
    Sub s = state.subscriptions.get(Long.parseLong(id));
    if (s == null || !s.fixed) {
      return SimResponse.error(404, "SUBSCRIPTION_NOT_FOUND", "Subscription " + id + " not found");
    }
    return action.apply(s);
  }

  private SimResponse withDb(String subId, String dbId, CloudApi.DbAction action) {
    return withSub(
        subId,
        s -> {
          Db d = s.databases.get(Long.parseLong(dbId));
          return d == null
              ? SimResponse.error(404, "DATABASE_NOT_FOUND", "Database " + dbId + " not found")
              : action.apply(s, d);
        });
  }
}
