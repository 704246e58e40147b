package dev.opsflow.redis.enterprise.testing;

import dev.opsflow.workflow.testing.RedisEndpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * What a simulator with a state directory keeps across a restart: the cluster (bootstrap with its
 * times, name, license, settings, users) and its databases (configuration, creation action,
 * deletion, endpoint port). Bootstrap and actions are functions of the clock from their saved start
 * times, so one still in flight at the restart goes on where it was. Not kept: the databases' data
 * (their endpoints come back empty, on their old port when it is free), operations in flight on a
 * database (upgrade, Replica Of, export, import, recovery), node software versions and maintenance
 * mode, faults and the request log.
 */
final class SimulatorState {
  private static final int VERSION = 1;

  private SimulatorState() {}

  static Map<String, Object> snapshot(SimulatorApi api) {
    var state = new LinkedHashMap<String, Object>();
    state.put("version", VERSION);
    state.put("cluster", api.clusterSnapshot());
    state.put(
        "databases",
        api.withDatabases(
            (dbs, actions) -> dbs.values().stream().map(SimulatorState::database).toList()));
    return state;
  }

  private static Map<String, Object> database(SimulatedDatabase db) {
    var json = new LinkedHashMap<String, Object>();
    json.put("uid", db.uid);
    json.put("name", db.name);
    json.put("memorySize", db.memorySize);
    json.put("redisVersion", db.redisVersion);
    json.put("password", db.password);
    json.put("tls", db.tls);
    json.put("replication", db.replication);
    json.put("dataPersistence", db.dataPersistence);
    json.put("created", db.created.toString());
    json.put("requestedPort", db.requestedPort);
    json.put("endpointPort", db.endpointPort);
    json.put("dnsName", db.dnsName);
    json.put("extra", db.extra);
    json.put("lastChanged", db.lastChanged.toString());
    json.put("goneAt", db.goneAt == null ? null : db.goneAt.toString());
    json.put("creation", db.creation == null ? null : action(db.creation));
    return json;
  }

  private static Map<String, Object> action(SimulatedAction a) {
    var json = new LinkedHashMap<String, Object>();
    json.put("uid", a.uid);
    json.put("name", a.name);
    json.put("objectName", a.objectName);
    json.put("created", a.created.toString());
    json.put("durationMillis", a.duration.toMillis());
    json.put("stateMachine", a.stateMachine);
    json.put("nodeUid", a.nodeUid);
    if (a.fault != null) {
      json.put(
          "fault",
          Map.of(
              "neverEnds", a.fault.neverEnds(),
              "errorCode", String.valueOf(a.fault.errorCode()),
              "message", String.valueOf(a.fault.message())));
    }
    return json;
  }

  /**
   * Puts the saved state back into a new simulator: the cluster, then each database with a new
   * (empty) endpoint, on its old port when that is free. A database already deleted is not brought
   * back.
   */
  static void restore(JsonNode saved, SimulatorApi api, SimulatorDatabases databases) {
    if (saved.path("version").asInt() != VERSION) {
      throw new IllegalStateException(
          "the saved Redis Enterprise state has version "
              + saved.path("version")
              + ", expected "
              + VERSION);
    }
    api.restoreCluster(saved.path("cluster"));
    Instant now = api.clock().instant();
    api.withDatabases(
        (dbs, actions) -> {
          for (JsonNode d : saved.path("databases")) {
            SimulatedDatabase db = database(d, dbs, databases);
            if (db.goneAt != null && db.gone(now)) {
              db.endpoint.close();
              continue;
            }
            if (db.goneAt != null) {
              // A deleted database's endpoint stopped at the DELETE.
              db.endpoint.close();
            }
            dbs.put(db.uid, db);
            if (db.creation != null) {
              actions.put(db.creation.uid, db.creation);
            }
          }
          return null;
        });
  }

  private static SimulatedDatabase database(
      JsonNode d, Map<Integer, SimulatedDatabase> dbs, SimulatorDatabases databases) {
    String password = d.path("password").isNull() ? null : d.path("password").asString(null);
    boolean tls = d.path("tls").asBoolean();
    int port = d.path("endpointPort").asInt();
    RedisEndpoint endpoint;
    try {
      endpoint = databases.startEndpoint(dbs, password, tls, port);
    } catch (IllegalStateException taken) {
      endpoint = databases.startEndpoint(dbs, password, tls, 0);
    }
    JsonNode c = d.path("creation");
    SimulatedAction creation = c.isObject() ? action(c) : null;
    var db =
        new SimulatedDatabase(
            d.path("uid").asInt(),
            d.path("name").asString(),
            d.path("memorySize").asLong(),
            d.path("redisVersion").isNull() ? null : d.path("redisVersion").asString(null),
            password,
            tls,
            d.path("replication").asBoolean(),
            d.path("dataPersistence").isNull() ? null : d.path("dataPersistence").asString(null),
            Instant.parse(d.path("created").asString()),
            creation,
            endpoint,
            d.path("requestedPort").asInt(),
            d.path("dnsName").asString("localhost"));
    d.path("extra")
        .properties()
        .forEach(e -> db.extra.put(e.getKey(), SimulatorJson.plain(e.getValue())));
    db.lastChanged = Instant.parse(d.path("lastChanged").asString());
    String gone = d.path("goneAt").isNull() ? null : d.path("goneAt").asString(null);
    db.goneAt = gone == null ? null : Instant.parse(gone);
    return db;
  }

  private static SimulatedAction action(JsonNode a) {
    JsonNode f = a.path("fault");
    Faults.ActionFault fault =
        f.isObject()
            ? new Faults.ActionFault(
                f.path("neverEnds").asBoolean(),
                f.path("errorCode").asString(),
                f.path("message").asString())
            : null;
    var action =
        new SimulatedAction(
            a.path("uid").asString(),
            a.path("name").asString(),
            a.path("objectName").asString(),
            Instant.parse(a.path("created").asString()),
            Duration.ofMillis(a.path("durationMillis").asLong()),
            fault);
    action.stateMachine = a.path("stateMachine").asBoolean();
    action.nodeUid = a.path("nodeUid").asString("1");
    return action;
  }
}
