package dev.opsflow.redis.enterprise.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The simulated export ({@code POST /v1/bdbs/{uid}/actions/export}), import ({@code .../import})
 * and database recovery ({@code .../recover}), done for real: an export snapshots the database with
 * {@code redis-cli --rdb} when it starts and, when its time is up, delivers the file to its
 * location ({@link SimulatorLocations}: mount point, SFTP, FTP, S3; the cluster side pushes the
 * file, as a real cluster does); an import fetches the file the same ways and loads it into the
 * database's redis-server. Their progress is in the bdb's {@code export_status} and {@code
 * import_status} (v1 action lists omit them, as on real clusters). Called under the simulator's
 * lock.
 */
final class SimulatorBackups {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final SimulatorApi api;

  SimulatorBackups(SimulatorApi api) {
    this.api = api;
  }

  Reply export(SimulatedDatabase db, JsonNode body, Instant now) {
    Reply busy = busy(db, now);
    if (busy != null) {
      return busy;
    }
    JsonNode location = body == null ? null : body.get("export_location");
    String problem = SimulatorLocations.problem(location, false);
    if (problem != null) {
      return Reply.error(400, "invalid_schema", problem);
    }
    try {
      db.exportStaged = RdbFiles.dump(db.endpointPort, db.password);
    } catch (IOException e) {
      return Reply.error(500, "internal_error", "cannot snapshot database " + db.uid + ": " + e);
    }
    db.export =
        new SimulatedAction(
            SimulatorApi.newActionUid(),
            "export",
            "bdb:" + db.uid,
            now,
            api.databaseDuration(),
            api.faults().takeExportFault());
    db.exportLocation = castMap(SimulatorJson.plain(location));
    db.exportStatus = "exporting";
    db.exportFailureReason = null;
    return Reply.ok(Map.of());
  }

  Reply importData(SimulatedDatabase db, JsonNode body, Instant now) {
    Reply busy = busy(db, now);
    if (busy != null) {
      return busy;
    }
    JsonNode sources = body == null ? null : body.get("dataset_import_sources");
    if (sources == null || !sources.isArray() || sources.isEmpty()) {
      return Reply.error(400, "invalid_schema", "dataset_import_sources must be a non-empty array");
    }
    var extra = new ArrayList<String>();
    body.properties()
        .forEach(
            e -> {
              if (!List.of("dataset_import_sources", "email_notification").contains(e.getKey())) {
                extra.add(e.getKey());
              }
            });
    if (!extra.isEmpty()) {
      return Reply.error(400, "invalid_schema", "attributes not allowed in an import: " + extra);
    }
    for (JsonNode source : sources) {
      String problem = SimulatorLocations.problem(source, true);
      if (problem != null) {
        return Reply.error(400, "invalid_schema", problem);
      }
    }
    db.importing =
        new SimulatedAction(
            SimulatorApi.newActionUid(),
            "import",
            "bdb:" + db.uid,
            now,
            api.databaseDuration(),
            api.faults().takeImportFault());
    db.importSources = castList(SimulatorJson.plain(sources));
    db.importStatus = "importing";
    db.importFailureReason = null;
    return Reply.ok(Map.of());
  }

  /** Delivers a finished export, loads a finished import, restarts a recovered database. */
  void settle(SimulatedDatabase db, Instant now) {
    if (db.export != null && db.export.terminal(now) && db.exportStaged != null) {
      Path staged = db.exportStaged;
      db.exportStaged = null;
      if (db.export.fault != null) {
        fail(db, db.export.fault.errorCode());
      } else {
        try {
          deliver(db, staged, now);
          db.exportStatus = "succeeded";
          db.lastExportTime = now.toString();
        } catch (IOException | RuntimeException e) {
          fail(db, reason(e));
        }
      }
      RdbFiles.deleteTree(staged);
    }
    if (db.importing != null && db.importing.terminal(now) && db.importStatus.equals("importing")) {
      if (db.importing.fault != null) {
        db.importStatus = "failed";
        db.importFailureReason = db.importing.fault.errorCode();
      } else {
        db.importStatus = load(db);
      }
      db.lastChanged = now;
    }
    if (db.recovery != null && db.recovery.terminal(now) && db.needsRecovery) {
      api.recoveries().finish(db);
    }
  }

  /** The export_failure_reason of a failed delivery (SFTP refusals are runtime exceptions). */
  private static String reason(Exception e) {
    String message = String.valueOf(e.getMessage());
    if (message.startsWith("wrong-file-path")) {
      return "wrong-file-path";
    }
    if (message.startsWith("no-permission") || !(e instanceof IOException)) {
      return "no-permission";
    }
    return "general-error";
  }

  private void fail(SimulatedDatabase db, String reason) {
    db.exportStatus = "failed";
    db.exportFailureReason = reason;
  }

  private void deliver(SimulatedDatabase db, Path staged, Instant now) throws IOException {
    String name = db.name + "-" + db.uid + "-" + STAMP.format(now) + ".rdb";
    api.locations().put(db.exportLocation, staged, name);
  }

  /** Fetches and loads the first import source: the new import_status. */
  private String load(SimulatedDatabase db) {
    Map<String, Object> source = db.importSources.get(0);
    Path download = null;
    try {
      download = Files.createTempFile("opsflow-import-", ".rdb");
      Path local;
      try {
        local = api.locations().fetch(source, download);
      } catch (IOException | RuntimeException e) {
        db.importFailureReason = "download-error";
        return "failed";
      }
      try {
        RdbFiles.load(local, db.endpointPort, db.password);
      } catch (IOException e) {
        db.importFailureReason = "file-corrupted";
        return "failed";
      }
      return "succeeded";
    } catch (IOException e) {
      db.importFailureReason = "general-error";
      return "failed";
    } finally {
      if (download != null) {
        RdbFiles.deleteTree(download);
      }
    }
  }

  private static Reply busy(SimulatedDatabase db, Instant now) {
    if (db.endpoint == null || !db.endpoint.kind().equals("redis-server")) {
      return Reply.error(
          406, "not_supported", "the simulator exports and imports only redis-server databases");
    }
    boolean exporting = db.export != null && !db.export.terminal(now);
    if (!db.status(now).equals("active") || exporting) {
      return Reply.error(
          409,
          "busy",
          "database " + db.uid + " is busy with another action (" + db.status(now) + ")");
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Object value) {
    return new LinkedHashMap<>((Map<String, Object>) value);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> castList(Object value) {
    return (List<Map<String, Object>>) value;
  }
}
