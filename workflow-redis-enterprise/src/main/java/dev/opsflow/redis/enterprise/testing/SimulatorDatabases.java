package dev.opsflow.redis.enterprise.testing;

import dev.opsflow.workflow.testing.RedisEndpoint;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** The simulated {@code /v1/bdbs} and {@code /v1/actions} endpoints. */
final class SimulatorDatabases {
  private final SimulatorApi api;

  SimulatorDatabases(SimulatorApi api) {
    this.api = api;
  }

  Reply list() {
    Instant now = api.clock().instant();
    return api.withDatabases(
        (dbs, actions) -> {
          purge(dbs, now);
          return Reply.ok(dbs.values().stream().map(d -> d.toJson(now)).toList());
        });
  }

  Reply get(String uidText) {
    Instant now = api.clock().instant();
    return api.withDatabases(
        (dbs, actions) ->
            find(dbs, uidText, now)
                .map(d -> Reply.ok(d.toJson(now)))
                .orElseGet(() -> notFound(uidText)));
  }

  Reply create(JsonNode body, String query) {
    if (body == null || !body.isObject()) {
      return Reply.error(400, "invalid_schema", "the body must be a JSON object");
    }
    String name = SimulatorApi.text(body, "name");
    if (name == null || name.isBlank()) {
      return Reply.error(406, "missing_db_name", "name is required");
    }
    if (!body.has("memory_size")
        || !body.get("memory_size").canConvertToLong()
        || body.get("memory_size").asLong() <= 0) {
      return Reply.error(406, "missing_memory_size", "memory_size (bytes, > 0) is required");
    }
    long memory = body.get("memory_size").asLong();
    String version = Optional.ofNullable(SimulatorApi.text(body, "redis_version")).orElse("7.4");
    if (!SimulatorApi.VERSIONS.contains(version)) {
      return Reply.error(
          406,
          "invalid_version",
          "redis_version '"
              + version
              + "' is not supported; use MAJOR.MINOR, one of "
              + SimulatorApi.VERSIONS);
    }
    int port = body.has("port") ? body.get("port").asInt() : 0;
    if (port != 0 && (port < 10000 || port > 19999)) {
      return Reply.error(406, "port_unavailable", "port " + port + " is outside 10000-19999");
    }
    String password = SimulatorApi.text(body, "authentication_redis_pass");
    boolean tls =
        "enabled".equals(SimulatorApi.text(body, "tls_mode"))
            || (body.has("ssl") && body.get("ssl").asBoolean());
    boolean dryRun = query != null && query.contains("dry_run");
    Instant now = api.clock().instant();
    return api.withDatabases(
        (dbs, actions) -> {
          purge(dbs, now);
          if (dbs.values().stream().anyMatch(d -> d.name.equals(name))) {
            return Reply.error(409, "db_name_in_use", "a database named '" + name + "' exists");
          }
          long used = dbs.values().stream().mapToLong(d -> d.memorySize).sum();
          if (used + memory > api.nodeMemory()) {
            return Reply.error(
                406,
                "insufficient_resources",
                "the cluster has "
                    + (api.nodeMemory() - used)
                    + " bytes of memory left, "
                    + memory
                    + " asked");
          }
          if (port != 0 && dbs.values().stream().anyMatch(d -> d.endpoint.port() == port)) {
            return Reply.error(406, "port_unavailable", "port " + port + " is in use");
          }
          if (dryRun) {
            return Reply.ok(Map.of("name", name, "memory_size", memory));
          }
          RedisEndpoint endpoint;
          try {
            endpoint =
                api.backend().endpoints().start(password, tls ? api.endpointTls() : null, port);
          } catch (IllegalStateException e) {
            return Reply.error(406, "port_unavailable", e.getMessage());
          }
          int uid = api.takeDatabaseUid();
          var action =
              new SimulatedAction(
                  SimulatorApi.newActionUid(),
                  "SMCreateBDB",
                  "bdb:" + uid,
                  now,
                  api.databaseDuration(),
                  api.faults().takeActionFault());
          actions.put(action.uid, action);
          var db =
              new SimulatedDatabase(
                  uid,
                  name,
                  memory,
                  version,
                  password,
                  tls,
                  now,
                  action,
                  endpoint,
                  // A real cluster names each endpoint redis-PORT.<cluster FQDN> in its own DNS;
                  // here the name must resolve without a DNS query leaving the machine.
                  "localhost");
          dbs.put(uid, db);
          var json = new LinkedHashMap<>(db.toJson(now));
          json.put("action_uid", action.uid);
          return Reply.ok(json);
        });
  }

  Reply update(String uidText, JsonNode body) {
    if (body == null || !body.isObject()) {
      return Reply.error(400, "invalid_schema", "the body must be a JSON object");
    }
    Instant now = api.clock().instant();
    return api.withDatabases(
        (dbs, actions) -> {
          Optional<SimulatedDatabase> found = find(dbs, uidText, now);
          if (found.isEmpty()) {
            return notFound(uidText);
          }
          SimulatedDatabase db = found.get();
          if (!db.status(now).equals("active")) {
            return Reply.error(
                409,
                "busy",
                "database " + db.uid + " is busy (" + db.status(now) + "); retry later");
          }
          for (String fixed : List.of("uid", "port", "tls_mode", "authentication_redis_pass")) {
            if (body.has(fixed)) {
              return Reply.error(
                  400, "invalid_schema", fixed + " cannot be changed by the simulator");
            }
          }
          if (body.has("memory_size")) {
            db.memorySize = body.get("memory_size").asLong();
          }
          if (body.has("name")) {
            db.name = body.get("name").asString();
          }
          body.properties()
              .forEach(
                  e -> {
                    if (!e.getKey().equals("memory_size") && !e.getKey().equals("name")) {
                      db.extra.put(e.getKey(), SimulatorJson.plain(e.getValue()));
                    }
                  });
          return Reply.ok(db.toJson(now));
        });
  }

  Reply delete(String uidText) {
    Instant now = api.clock().instant();
    return api.withDatabases(
        (dbs, actions) -> {
          Optional<SimulatedDatabase> found = find(dbs, uidText, now);
          if (found.isEmpty()) {
            return notFound(uidText);
          }
          SimulatedDatabase db = found.get();
          if (db.goneAt == null) {
            // The endpoint stops at once; the database stays delete-pending for a while.
            db.goneAt = now.plus(api.deletionDuration());
            db.endpoint.close();
          }
          return Reply.ok(Map.of("uid", db.uid));
        });
  }

  Reply listActions() {
    Instant now = api.clock().instant();
    return api.withDatabases(
        (dbs, actions) ->
            Reply.ok(
                Map.of(
                    "actions", actions.values().stream().map(a -> a.toJson(now)).toList(),
                    "state-machines", List.of())));
  }

  Reply getAction(String uid) {
    Instant now = api.clock().instant();
    return api.withDatabases(
        (dbs, actions) -> {
          SimulatedAction action = actions.get(uid);
          return action == null
              ? Reply.error(404, "action_not_exist", "action " + uid + " does not exist")
              : Reply.ok(action.toJson(now));
        });
  }

  /** Stops every endpoint. */
  void closeAll() {
    api.withDatabases(
        (dbs, actions) -> {
          dbs.values().forEach(d -> d.endpoint.close());
          dbs.clear();
          return null;
        });
  }

  /** The database {@code uidText} names, once the databases whose DELETE ended are gone. */
  private static Optional<SimulatedDatabase> find(
      Map<Integer, SimulatedDatabase> dbs, String uidText, Instant now) {
    purge(dbs, now);
    return SimulatorApi.integer(uidText).map(dbs::get);
  }

  /** Forgets the databases whose DELETE has ended by {@code now}. */
  private static void purge(Map<Integer, SimulatedDatabase> dbs, Instant now) {
    dbs.values().removeIf(d -> d.gone(now));
  }

  private static Reply notFound(String uidText) {
    return Reply.error(404, "db_not_exist", "database " + uidText + " does not exist");
  }
}
