package dev.opsflow.redis.enterprise.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A simulated cluster node: its software version, kept in a {@code VERSION} file in its install
 * directory so that an installer run over SSH (a test's fake {@code install.sh}) can change it as a
 * real one replaces the node's packages; a changed file takes the node {@code down} for its restart
 * time, then it comes back running the new version (or never, with the fault). Maintenance mode
 * moves its shards away and stops it accepting new ones. Guarded by the simulator's lock.
 */
final class SimulatedNode {
  /**
   * Software MAJOR.MINOR -&gt; the Redis database versions it bundles (the last is the default).
   */
  static final Map<String, List<String>> BUNDLED =
      Map.of(
          "7.4", List.of("6.0", "6.2", "7.2"),
          "7.8", List.of("6.2", "7.2", "7.4"));

  private static final Pattern SOFTWARE = Pattern.compile("(\\d+\\.\\d+)\\.\\d+-\\d+");

  final int uid;
  final String addr;
  final long totalMemory;
  final Path installDir;
  final Instant started;
  private String softwareVersion;
  private Instant downUntil;
  boolean maintenance;
  boolean neverReturns;

  SimulatedNode(int uid, String softwareVersion, long totalMemory, Instant started) {
    this.uid = uid;
    this.addr = "127.0.0." + uid;
    this.softwareVersion = softwareVersion;
    this.totalMemory = totalMemory;
    this.started = started;
    try {
      installDir = Files.createTempDirectory("opsflow-re-node" + uid + "-");
      // The test's SSH user (not the JVM's) runs the installer that rewrites VERSION.
      Files.setPosixFilePermissions(installDir, PosixFilePermissions.fromString("rwxrwxrwx"));
      Path file = versionFile();
      Files.writeString(file, softwareVersion + "\n");
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create node " + uid + "'s install dir", e);
    }
  }

  /** Whether a version string is one the simulator knows ({@code 7.8.2-34}). */
  static boolean known(String version) {
    var m = SOFTWARE.matcher(version);
    return m.matches() && BUNDLED.containsKey(m.group(1));
  }

  Path versionFile() {
    return installDir.resolve("VERSION");
  }

  /** Reads VERSION: a new version takes the node down for {@code restart}. */
  void refresh(Instant now, Duration restart) {
    String onDisk;
    try {
      onDisk = Files.readString(versionFile(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return;
    }
    if (!onDisk.isEmpty() && !onDisk.equals(softwareVersion)) {
      softwareVersion = onDisk;
      downUntil = neverReturns || !known(onDisk) ? Instant.MAX : now.plus(restart);
    }
  }

  String softwareVersion() {
    return softwareVersion;
  }

  String status(Instant now) {
    return downUntil != null && now.isBefore(downUntil) ? "down" : "active";
  }

  /** The Redis versions this node runs databases of, oldest first. */
  List<String> databaseVersions() {
    var m = SOFTWARE.matcher(softwareVersion);
    return m.matches() ? BUNDLED.getOrDefault(m.group(1), List.of()) : List.of();
  }

  Map<String, Object> toJson(Instant now, List<Integer> shards) {
    var json = new LinkedHashMap<String, Object>();
    json.put("uid", uid);
    json.put("accept_servers", !maintenance);
    json.put("addr", addr);
    json.put("architecture", "x86_64");
    json.put("bigredis_storage_path", "/var/opt/redislabs/flash");
    json.put("bigstore_driver", "");
    json.put("bigstore_enabled", false);
    json.put("bigstore_size", 0);
    json.put("cores", 4);
    json.put("ephemeral_storage_path", "/var/opt/redislabs/tmp");
    json.put("ephemeral_storage_size", 53687091200.0);
    json.put("external_addr", List.of());
    json.put("max_listeners", 100);
    json.put("max_redis_forks", -1);
    json.put("max_redis_servers", 100);
    json.put("max_slave_full_syncs", -1);
    json.put("os_family", "ubuntu");
    json.put("os_name", "ubuntu");
    json.put("os_semantic_version", "22.04.4");
    json.put("os_version", "Ubuntu 22.04.4 LTS");
    json.put("persistent_storage_path", "/var/opt/redislabs/persist");
    json.put("persistent_storage_size", 53687091200.0);
    json.put("public_addr", "");
    json.put("rack_id", "");
    json.put("recovery_path", "/var/opt/redislabs/persist/ccs");
    json.put("second_rack_id", "");
    json.put("shard_count", shards.size());
    json.put("shard_list", shards);
    json.put("software_version", softwareVersion);
    json.put("status", status(now));
    json.put(
        "supported_database_versions",
        databaseVersions().stream()
            .map(v -> Map.of("db_type", "redis", "version", v + ".0"))
            .toList());
    json.put("system_time", now.toString());
    json.put("total_memory", totalMemory);
    json.put("uptime", Math.max(0, Duration.between(started, now).toSeconds()));
    json.put("use_internal_ipv6", false);
    return json;
  }

  /** Its entry of {@code GET /v1/nodes/status}, as the node status requests page shows it. */
  Map<String, Object> statusJson(Instant now, boolean primary, List<Integer> shards) {
    var json = new LinkedHashMap<String, Object>();
    json.put("cores", 4);
    json.put("free_provisional_ram", 0);
    json.put("free_ram", totalMemory / 2);
    json.put("hostname", "node" + uid);
    json.put("master_shards", shards);
    json.put("node_overbooking_depth", 0);
    json.put("node_status", status(now));
    json.put("role", primary ? "master" : "slave");
    json.put("slave_shards", List.of());
    json.put("software_version", softwareVersion);
    json.put("total_memory", totalMemory);
    json.put("total_provisional_ram", 0);
    return json;
  }

  void deleteInstallDir() {
    try (var files = Files.walk(installDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // a temp dir left behind holds only a version string and an installer's log
    }
  }
}
