package dev.opsflow.redis.enterprise.testing;

import dev.opsflow.redis.enterprise.client.SshSession;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
 * {@code redis-cli --rdb} when it starts and, when its time is up, copies the file to the mount
 * point or uploads it over SFTP (the cluster side pushes the file, as a real cluster does; the SFTP
 * server's host key is checked against the simulator's known_hosts); an import fetches the file the
 * same ways and loads it into the database's redis-server. Their progress is in the bdb's {@code
 * export_status} and {@code import_status} (v1 action lists omit them, as on real clusters). Called
 * under the simulator's lock.
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
    String problem = locationProblem(location, false);
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
      String problem = locationProblem(source, true);
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
          fail(
              db,
              e.getMessage() != null && e.getMessage().startsWith("wrong-file-path")
                  ? "wrong-file-path"
                  : e instanceof IOException ? "general-error" : "no-permission");
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

  private void fail(SimulatedDatabase db, String reason) {
    db.exportStatus = "failed";
    db.exportFailureReason = reason;
  }

  private void deliver(SimulatedDatabase db, Path staged, Instant now) throws IOException {
    String name = db.name + "-" + db.uid + "-" + STAMP.format(now) + ".rdb";
    Map<String, Object> location = db.exportLocation;
    if ("mount_point".equals(location.get("type"))) {
      Path dir = Path.of((String) location.get("path"));
      if (!Files.isDirectory(dir)) {
        throw new IOException("wrong-file-path: " + dir + " is not a directory");
      }
      Files.copy(staged, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
      return;
    }
    URI url = URI.create((String) location.get("sftp_url"));
    String dir = url.getPath() == null || url.getPath().isEmpty() ? "/" : url.getPath();
    try (var ssh = sftp(url, (String) location.get("key"))) {
      ssh.upload(staged, (dir.endsWith("/") ? dir : dir + "/") + name);
    }
  }

  /** Fetches and loads the first import source: the new import_status. */
  private String load(SimulatedDatabase db) {
    Map<String, Object> source = db.importSources.get(0);
    Path local = null;
    try {
      if ("mount_point".equals(source.get("type"))) {
        local = Path.of((String) source.get("path"));
        if (!Files.isRegularFile(local)) {
          db.importFailureReason = "download-error";
          return "failed";
        }
      } else {
        URI url = URI.create((String) source.get("sftp_url"));
        local = Files.createTempFile("opsflow-import-", ".rdb");
        try (var ssh = sftp(url, (String) source.get("key"))) {
          ssh.download(url.getPath(), local);
        } catch (IOException | RuntimeException e) {
          db.importFailureReason = "download-error";
          return "failed";
        }
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
      if (local != null && !"mount_point".equals(source.get("type"))) {
        RdbFiles.deleteTree(local);
      }
    }
  }

  private SshSession sftp(URI url, String key) {
    if (key == null || key.isBlank()) {
      throw new IllegalStateException(
          "no key: the simulated cluster has no autogenerated SSH key to fall back on");
    }
    String user = url.getUserInfo() == null ? "root" : url.getUserInfo().split(":", 2)[0];
    return SshSession.connect(
        url.getHost(), url.getPort() < 0 ? 22 : url.getPort(), user, key, api.sftpKnownHosts());
  }

  /** What is wrong with an export location or import source, or null. */
  private static String locationProblem(JsonNode location, boolean importing) {
    if (location == null || !location.isObject()) {
      return importing
          ? "each import source must be an object with a type"
          : "export_location is required";
    }
    String type = SimulatorApi.text(location, "type");
    if ("mount_point".equals(type)) {
      return SimulatorApi.text(location, "path") == null ? "a mount_point needs a path" : null;
    }
    if ("sftp".equals(type)) {
      String url = SimulatorApi.text(location, "sftp_url");
      return url == null || !url.startsWith("sftp://")
          ? "an sftp location needs sftp_url as sftp://user@host[:port]/path"
          : null;
    }
    return "type '"
        + type
        + "': the simulator exports and imports with mount_point and sftp only (the real API also"
        + " takes url, s3, gs, abs)";
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
