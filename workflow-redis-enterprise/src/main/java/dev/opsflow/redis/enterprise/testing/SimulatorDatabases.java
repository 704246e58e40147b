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
          return Reply.ok(dbs.values().stream().map(d -> json(d, now)).toList());
        });
  }

  Reply get(String uidText) {
    Instant now = api.clock().instant();
    return api.withDatabases(
        (dbs, actions) ->
            find(dbs, uidText, now)
                .map(d -> Reply.ok(json(d, now)))
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
    String version =
        Optional.ofNullable(SimulatorApi.text(body, "redis_version"))
            .orElse(api.defaultDatabaseVersion());
    if (!api.databaseVersions().contains(version)) {
      return Reply.error(
          406,
          "invalid_version",
          "redis_version '"
              + version
              + "' is not supported; use MAJOR.MINOR, one of "
              + api.databaseVersions());
    }
    boolean replication = body.has("replication") && body.get("replication").asBoolean();
    String persistence =
        Optional.ofNullable(SimulatorApi.text(body, "data_persistence")).orElse("disabled");
    if (!List.of("disabled", "aof", "snapshot").contains(persistence)) {
      return Reply.error(
          406, "invalid_data_persistence", "data_persistence must be disabled, aof or snapshot");
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
          if (port != 0 && dbs.values().stream().anyMatch(d -> d.endpointPort == port)) {
            return Reply.error(406, "port_unavailable", "port " + port + " is in use");
          }
          if (dryRun) {
            return Reply.ok(Map.of("name", name, "memory_size", memory));
          }
          RedisEndpoint endpoint;
          try {
            endpoint = startEndpoint(dbs, password, tls, port);
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
                      api.faults().takeActionFault())
                  .asStateMachine();
          actions.put(action.uid, action);
          var db =
              new SimulatedDatabase(
                  uid,
                  name,
                  memory,
                  version,
                  password,
                  tls,
                  replication,
                  persistence,
                  now,
                  action,
                  endpoint,
                  port,
                  // A real cluster names each endpoint redis-PORT.<cluster FQDN> in its own DNS;
                  // here the name must resolve without a DNS query leaving the machine.
                  "localhost");
          dbs.put(uid, db);
          return Reply.ok(json(db, now));
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
          if (body.has("replica_sources") || body.has("replica_sync")) {
            Reply replica = api.operations().replicaOf(db, body);
            if (replica != null) {
              return replica;
            }
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
                    if (!List.of("memory_size", "name", "replica_sources", "replica_sync")
                        .contains(e.getKey())) {
                      db.extra.put(e.getKey(), SimulatorJson.plain(e.getValue()));
                    }
                  });
          db.lastChanged = now;
          return Reply.ok(json(db, now));
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
            api.operations().stopReplica(db);
            if (db.endpoint != null) {
              db.endpoint.close();
            }
          }
          return Reply.ok(Map.of("uid", db.uid));
        });
  }

  /** An operation on one database: upgrade, export, import, recovery-plan, recover. */
  Reply operate(String uidText, String operation, JsonNode body) {
    Instant now = api.clock().instant();
    return api.withDatabases(
        (dbs, actions) -> {
          Optional<SimulatedDatabase> found = find(dbs, uidText, now);
          if (found.isEmpty()) {
            return notFound(uidText);
          }
          SimulatedDatabase db = found.get();
          return switch (operation) {
            case "upgrade" -> api.operations().upgrade(db, body, now);
            case "export" -> api.operations().backups.export(db, body, now);
            case "import" -> api.operations().backups.importData(db, body, now);
            case "recovery-plan" -> api.recoveries().plan(db);
            default -> api.recoveries().recover(db, now);
          };
        });
  }

  /** {@code GET /v1/shards}: one master shard a database. */
  Reply shards() {
    Instant now = api.clock().instant();
    return api.withDatabases(
        (dbs, actions) -> {
          purge(dbs, now);
          return Reply.ok(
              dbs.values().stream()
                  .map(
                      d -> {
                        var json = new LinkedHashMap<String, Object>();
                        boolean up = d.endpoint != null;
                        json.put("uid", Integer.toString(d.uid));
                        json.put("assigned_slots", "0-16383");
                        json.put("bdb_uid", d.uid);
                        json.put("detailed_status", up ? "ok" : "down");
                        json.put("node_uid", Integer.toString(api.shardNode(d.uid)));
                        json.put("report_timestamp", now.toString());
                        json.put("role", "master");
                        json.put("status", up ? "active" : "inactive");
                        return json;
                      })
                  .toList());
        });
  }

  Reply listActions() {
    Instant now = api.clock().instant();
    return api.withDatabases(
        (dbs, actions) -> {
          purge(dbs, now);
          return Reply.ok(
              Map.of(
                  "actions",
                  actions.values().stream()
                      .filter(a -> !a.stateMachine)
                      .map(a -> a.toJson(now))
                      .toList(),
                  "state-machines",
                  actions.values().stream()
                      .filter(a -> a.stateMachine)
                      .map(a -> a.toJson(now))
                      .toList()));
        });
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
          dbs.values().stream().filter(d -> d.endpoint != null).forEach(d -> d.endpoint.close());
          dbs.clear();
          return null;
        });
  }

  /** The database {@code uidText} names, once the databases whose DELETE ended are gone. */
  Optional<SimulatedDatabase> find(
      Map<Integer, SimulatedDatabase> dbs, String uidText, Instant now) {
    purge(dbs, now);
    return SimulatorApi.integer(uidText).map(dbs::get);
  }

  /** Forgets the databases whose DELETE has ended and applies the operations that ended. */
  void purge(Map<Integer, SimulatedDatabase> dbs, Instant now) {
    dbs.values().removeIf(d -> d.gone(now));
    dbs.values().forEach(d -> api.operations().settle(d, now));
  }

  Map<String, Object> json(SimulatedDatabase db, Instant now) {
    return db.toJson(now, api.shardNode(db.uid));
  }

  /**
   * Starts an endpoint on {@code port}, or else on the first free port from 12000 in 10000-19999
   * that no database uses (a real cluster gives the first database 12000).
   */
  RedisEndpoint startEndpoint(
      Map<Integer, SimulatedDatabase> dbs, String password, boolean tls, int port) {
    var tlsContext = tls ? api.endpointTls() : null;
    if (port != 0) {
      return api.backend().endpoints().start(password, tlsContext, port);
    }
    for (int i = 0; i < 10000; i++) {
      int candidate = 10000 + (2000 + i) % 10000;
      if (dbs.values().stream().anyMatch(d -> d.endpointPort == candidate)) {
        continue;
      }
      try {
        return api.backend().endpoints().start(password, tlsContext, candidate);
      } catch (IllegalStateException taken) {
        // another process holds it: the next one
      }
    }
    throw new IllegalStateException("no free port in 10000-19999");
  }

  static Reply notFound(String uidText) {
    return Reply.error(404, "db_not_exist", "database " + uidText + " does not exist");
  }
}
