package dev.opsflow.redis.enterprise.testing;

import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.resp.RespConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The simulated operations that change a database in place: {@code POST /v1/bdbs/{uid}/upgrade} and
 * Replica Of ({@code replica_sources} and {@code replica_sync} in {@code PUT /v1/bdbs/{uid}}), done
 * for real on the database's redis-server: a finished upgrade with {@code may_discard_data} flushes
 * its data (a non-persistent, non-replicated shard restarts empty), Replica Of is {@code REPLICAOF}
 * to the source's endpoint and its status is what the replica's {@code INFO} says. Exports, imports
 * and recoveries are {@link SimulatorBackups}. Called under the simulator's lock.
 */
final class SimulatorOperations {
  private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(10);

  private final SimulatorApi api;
  final SimulatorBackups backups;

  SimulatorOperations(SimulatorApi api) {
    this.api = api;
    this.backups = new SimulatorBackups(api);
  }

  /** Applies the effects of the operations on {@code db} that ended by {@code now}. */
  void settle(SimulatedDatabase db, Instant now) {
    if (db.upgrade != null && db.upgradeTarget != null && db.upgrade.terminal(now)) {
      if (db.upgrade.completed(now)) {
        db.redisVersion = db.upgradeTarget;
        db.lastChanged = now;
        if (db.upgradeDiscards && db.endpoint != null) {
          run(db, "FLUSHALL");
        }
      }
      db.upgradeTarget = null;
    }
    refreshReplicaStatus(db);
    backups.settle(db, now);
  }

  // ---- upgrade ----

  Reply upgrade(SimulatedDatabase db, JsonNode body, Instant now) {
    if (!db.status(now).equals("active")) {
      return Reply.error(409, "busy", "database " + db.uid + " is busy (" + db.status(now) + ")");
    }
    String target =
        Optional.ofNullable(SimulatorApi.text(body, "redis_version"))
            .orElse(api.defaultDatabaseVersion());
    if (!api.databaseVersions().contains(target)) {
      return Reply.error(
          406,
          "invalid_version",
          "redis_version '"
              + target
              + "' is not supported by every node; supported: "
              + api.databaseVersions());
    }
    boolean discard = flag(body, "may_discard_data") || flag(body, "force_discard");
    boolean keepsData = db.replication || !db.dataPersistence.equals("disabled");
    if (!keepsData && !discard) {
      // A lone in-memory shard loses its data when it restarts on the new version.
      return Reply.error(
          400,
          "may_discard_data_required",
          "database "
              + db.uid
              + " is neither replicated nor persistent: its data is lost by the upgrade;"
              + " set may_discard_data to accept that");
    }
    if (keepsData && flag(body, "may_discard_data") && !flag(body, "force_discard")) {
      discard = false;
    }
    var action =
        new SimulatedAction(
                SimulatorApi.newActionUid(),
                "SMUpgradeBDB",
                "bdb:" + db.uid,
                now,
                api.databaseDuration(),
                api.faults().takeActionFault())
            .asStateMachine()
            .onNode(api.shardNode(db.uid));
    api.withDatabases((dbs, actions) -> actions.put(action.uid, action));
    db.upgrade = action;
    db.upgradeTarget = target;
    db.upgradeDiscards = discard;
    db.lastChanged = now;
    var json = new LinkedHashMap<>(db.toJson(now, api.shardNode(db.uid)));
    json.put("action_uid", action.uid);
    return Reply.ok(json);
  }

  private static boolean flag(JsonNode body, String field) {
    return body != null && body.has(field) && body.get(field).asBoolean();
  }

  // ---- Replica Of ----

  /** Applies replica_sources and replica_sync from a PUT; an error reply, or null when applied. */
  Reply replicaOf(SimulatedDatabase db, JsonNode body) {
    if (db.endpoint == null || !db.endpoint.kind().equals("redis-server")) {
      return Reply.error(
          406,
          "not_supported",
          "Replica Of needs a redis-server behind the simulated database (redis-server missing or"
              + " TLS)");
    }
    if (body.has("replica_sources")) {
      JsonNode sources = body.get("replica_sources");
      if (!sources.isArray()) {
        return Reply.error(400, "invalid_schema", "replica_sources must be an array");
      }
      db.replicaSources.clear();
      int uid = 1;
      for (JsonNode source : sources) {
        String uri = SimulatorApi.text(source, "uri");
        if (uri == null || parse(uri) == null) {
          return Reply.error(
              400,
              "invalid_schema",
              "replica_sources[].uri must be redis://[user:password@]host:port");
        }
        var entry = new LinkedHashMap<String, Object>();
        entry.put("uid", uid++);
        entry.put("uri", uri);
        entry.put("compression", 0);
        entry.put("encryption", false);
        entry.put("status", "out-of-sync");
        entry.put("lag", 0);
        entry.put("last_error", "");
        entry.put("last_update", "");
        entry.put("rdb_size", 0);
        entry.put("rdb_transferred", 0);
        db.replicaSources.add(entry);
      }
    }
    String sync =
        Optional.ofNullable(SimulatorApi.text(body, "replica_sync")).orElse(db.replicaSync);
    if (!List.of("enabled", "disabled", "paused", "stopped").contains(sync)) {
      return Reply.error(
          400, "invalid_schema", "replica_sync must be enabled, disabled, paused or stopped");
    }
    if (sync.equals("enabled") && db.replicaSources.isEmpty()) {
      return Reply.error(400, "invalid_schema", "replica_sync enabled needs replica_sources");
    }
    db.replicaSync = sync;
    if (sync.equals("enabled")) {
      db.syncStuck = api.faults().syncStuck();
      if (!db.syncStuck) {
        connectToSource(db);
      }
    } else {
      stopReplica(db);
    }
    refreshReplicaStatus(db);
    return null;
  }

  /** Detaches the database from its source, keeping the data it has. */
  void stopReplica(SimulatedDatabase db) {
    if (db.endpoint != null && db.endpoint.kind().equals("redis-server")) {
      run(db, "REPLICAOF", "NO", "ONE");
    }
    if (!db.replicaSync.equals("enabled")) {
      db.replicaSources.forEach(s -> s.put("status", "out-of-sync"));
    }
  }

  /** One source: the stand-in replicates from the first (REPLICAOF has one master). */
  private void connectToSource(SimulatedDatabase db) {
    String[] source = parse((String) db.replicaSources.get(0).get("uri"));
    // The simulator's endpoint names resolve to loopback, where its redis-servers listen (IPv4).
    String host = source[0].equals("localhost") ? "127.0.0.1" : source[0];
    run(db, "CONFIG", "SET", "masterauth", source[2] == null ? "" : source[2]);
    run(db, "REPLICAOF", host, source[1]);
    // The stand-in copies in real time while a test's clock may skip minutes: let it catch up
    // (bounded) before the cluster answers, so its status never lags the simulated time.
    try (var c = connect(db)) {
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
      while (!RdbFiles.inSync(c) && System.nanoTime() < deadline) {
        java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
      }
    }
  }

  private void refreshReplicaStatus(SimulatedDatabase db) {
    if (db.replicaSources.isEmpty() || !db.replicaSync.equals("enabled")) {
      return;
    }
    if (db.syncStuck && !api.faults().syncStuck() && db.endpoint != null) {
      // The fault is gone: the syncer reaches the source now.
      db.syncStuck = false;
      connectToSource(db);
    }
    String status = "syncing";
    if (!db.syncStuck && db.endpoint != null) {
      try (var c = connect(db)) {
        String info = c.text("INFO", "replication");
        status =
            info.contains("master_link_status:up") && info.contains("master_sync_in_progress:0")
                ? "in-sync"
                : info.contains("master_sync_in_progress:1") ? "syncing" : "out-of-sync";
      } catch (RuntimeException e) {
        status = "out-of-sync";
      }
    }
    String now = api.clock().instant().toString();
    for (Map<String, Object> source : db.replicaSources) {
      source.put("status", status);
      source.put("last_update", now);
    }
  }

  /** {host, port, password or null} of a {@code redis://[user:password@]host:port} URI. */
  static String[] parse(String uri) {
    var m =
        java.util.regex.Pattern.compile("redis://(?:([^:@]*):([^@]*)@)?([^:/@]+):(\\d{1,5})/?")
            .matcher(uri);
    return m.matches() ? new String[] {m.group(3), m.group(4), m.group(2)} : null;
  }

  private RespConnection connect(SimulatedDatabase db) {
    return RespConnection.open(
        "127.0.0.1",
        db.endpointPort,
        db.password == null || db.password.isEmpty() ? null : Secret.of(db.password),
        null,
        REDIS_TIMEOUT);
  }

  private void run(SimulatedDatabase db, String... command) {
    try (var c = connect(db)) {
      c.call(command);
    }
  }
}
