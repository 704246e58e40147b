package dev.opsflow.redis.enterprise.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * A lost cluster and its recovery, as the docs describe it: {@link #lose()} is the failure (every
 * database process gone; the persistent storage keeps the cluster configuration {@code
 * ccs/ccs-redis.rdb} and, for databases with persistence, an RDB file of their data; the node is
 * back to an unbootstrapped one). {@code POST /v1/bootstrap/recover_cluster} with that {@code
 * recovery_filename} brings the configuration back (state {@code recovering_cluster}, then {@code
 * completed}) with every database in status {@code recovery}; {@code POST
 * /v1/bdbs/{uid}/actions/recover} restarts each one on its port, with its persisted data or empty.
 * Called under the simulator's lock.
 */
final class SimulatorRecoveries {
  private final SimulatorApi api;
  private final Path persistent;

  SimulatorRecoveries(SimulatorApi api) {
    this.api = api;
    try {
      this.persistent = Files.createTempDirectory("opsflow-re-persist-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The cluster configuration file a recovery names. */
  Path ccsFile() {
    return persistent.resolve("ccs").resolve("ccs-redis.rdb");
  }

  /** The failure: see the class comment. */
  void lose() {
    api.withDatabases(
        (dbs, actions) -> {
          for (SimulatedDatabase db : dbs.values()) {
            if (db.endpoint == null) {
              continue;
            }
            boolean persistentData =
                !db.dataPersistence.equals("disabled") && db.endpoint.kind().equals("redis-server");
            if (persistentData) {
              try {
                Path file = persistent.resolve("bdb-" + db.uid + ".rdb");
                Files.move(
                    RdbFiles.dump(db.endpointPort, db.password),
                    file,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                db.persisted = file;
              } catch (IOException e) {
                db.persisted = null;
              }
            }
            db.endpoint.close();
            db.endpoint = null;
            db.needsRecovery = true;
            db.recovery = null;
            db.replicaSync = "disabled";
          }
          actions.clear();
          return null;
        });
    try {
      Files.createDirectories(ccsFile().getParent());
      Files.writeString(ccsFile(), "simulated cluster configuration of " + api.clusterName());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    api.resetBootstrap();
  }

  /** The problem with a recover_cluster body, as {code, message}, or null. */
  String[] problem(JsonNode body) {
    String file = SimulatorApi.text(body, "recovery_filename");
    if (file == null || file.isBlank()) {
      return new String[] {"config_error", "recovery_filename is required"};
    }
    if (!Files.isRegularFile(Path.of(file))) {
      return new String[] {"path_error", "recovery file " + file + " does not exist"};
    }
    if (!Path.of(file).equals(ccsFile())) {
      return new String[] {
        "config_error", file + " is not the configuration of a cluster this node can recover"
      };
    }
    return null;
  }

  Reply plan(SimulatedDatabase db) {
    if (!db.needsRecovery) {
      return Reply.error(
          409, "bdb_not_recoverable", "database " + db.uid + " is not waiting for recovery");
    }
    var json = new LinkedHashMap<String, Object>();
    json.put(
        "data_files",
        db.persisted == null
            ? List.of()
            : List.of(
                Map.of(
                    "filename",
                    db.persisted.getFileName().toString(),
                    "node_uid",
                    Integer.toString(api.shardNode(db.uid)),
                    "shard_slots",
                    "0-16383")));
    json.put("status", "ready");
    return Reply.ok(json);
  }

  Reply recover(SimulatedDatabase db, Instant now) {
    if (!db.needsRecovery) {
      return Reply.error(
          409, "bdb_not_recoverable", "database " + db.uid + " is not in a recoverable state");
    }
    if (db.recovery != null && !db.recovery.terminal(now)) {
      return Reply.error(409, "recovery_in_progress", "database " + db.uid + " is recovering");
    }
    var action =
        new SimulatedAction(
            SimulatorApi.newActionUid(),
            "recover_bdb",
            "bdb:" + db.uid,
            now,
            api.databaseDuration(),
            api.faults().takeActionFault());
    api.withDatabases((dbs, actions) -> actions.put(action.uid, action));
    db.recovery = action;
    return Reply.ok(Map.of("action_uid", action.uid));
  }

  /** Restarts a recovered database on its port, with its persisted data. */
  void finish(SimulatedDatabase db) {
    if (db.recovery.failed(api.clock().instant())) {
      return;
    }
    var restarted =
        api.withDatabases(
            (dbs, actions) -> {
              try {
                return api.databases().startEndpoint(dbs, db.password, db.tls, db.endpointPort);
              } catch (IllegalStateException taken) {
                return api.databases().startEndpoint(dbs, db.password, db.tls, 0);
              }
            });
    db.endpoint = restarted;
    db.endpointPort = restarted.port();
    Optional.ofNullable(db.persisted)
        .ifPresent(
            file -> {
              try {
                RdbFiles.load(file, db.endpointPort, db.password);
              } catch (IOException e) {
                db.extra.put("simulator_recovery_error", e.getMessage());
              }
            });
    db.needsRecovery = false;
  }

  void close() {
    RdbFiles.deleteTree(persistent);
  }
}
