package dev.opsflow.redis.enterprise.testing;

import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.WorkflowException;
import dev.opsflow.workflow.resp.RespConnection;
import dev.opsflow.workflow.testing.RedisEndpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A simulated database: its configuration, its creation action, its Redis endpoint and the state of
 * the operations on it (upgrade, Replica Of, export, import, recovery). Guarded by the simulator's
 * lock; {@link SimulatorOperations#settle} applies an operation's effect once its action ended.
 */
final class SimulatedDatabase {
  final int uid;
  String name;
  long memorySize;
  String redisVersion;
  final String password;
  final boolean tls;
  final boolean replication;
  final String dataPersistence;
  final Instant created;
  final SimulatedAction creation;

  /** The fixed port asked for at creation, or 0 (then the body's {@code port} stays 0). */
  final int requestedPort;

  /** Null while the database has no running endpoint (lost cluster, not recovered yet). */
  RedisEndpoint endpoint;

  int endpointPort;

  /** The endpoint {@link #processVersion} was read from, and what its INFO said. */
  private RedisEndpoint versionReadFrom;

  private String processVersion;

  final String dnsName;
  final Map<String, Object> extra = new LinkedHashMap<>();
  Instant lastChanged;

  /** When a DELETE ends: until then the database is {@code delete-pending}; null: not deleted. */
  Instant goneAt;

  // ---- upgrade ----
  SimulatedAction upgrade;
  String upgradeTarget;
  boolean upgradeDiscards;

  // ---- Replica Of ----
  final List<Map<String, Object>> replicaSources = new ArrayList<>();
  String replicaSync = "disabled";
  boolean syncStuck;

  // ---- export and import ----
  SimulatedAction export;
  Path exportStaged;
  Map<String, Object> exportLocation;
  String exportStatus;
  String exportFailureReason;
  String lastExportTime;
  SimulatedAction importing;
  List<Map<String, Object>> importSources;
  String importStatus = "idle";
  String importFailureReason;

  // ---- recovery after a lost cluster ----
  boolean needsRecovery;
  Path persisted;
  SimulatedAction recovery;

  SimulatedDatabase(
      int uid,
      String name,
      long memorySize,
      String redisVersion,
      String password,
      boolean tls,
      boolean replication,
      String dataPersistence,
      Instant created,
      SimulatedAction creation,
      RedisEndpoint endpoint,
      int requestedPort,
      String dnsName) {
    this.uid = uid;
    this.name = name;
    this.memorySize = memorySize;
    this.redisVersion = redisVersion;
    this.password = password;
    this.tls = tls;
    this.replication = replication;
    this.dataPersistence = dataPersistence;
    this.created = created;
    this.lastChanged = created;
    this.creation = creation;
    this.endpoint = endpoint;
    this.endpointPort = endpoint.port();
    this.requestedPort = requestedPort;
    this.dnsName = dnsName;
  }

  /**
   * {@code redis_version} from {@code INFO server} of the redis-server behind the database (read
   * once an endpoint), or null for the in-process responder or no endpoint.
   */
  String processVersion() {
    if (endpoint == null || !endpoint.kind().equals("redis-server")) {
      return null;
    }
    if (versionReadFrom != endpoint) {
      try (var redis =
          RespConnection.open(
              "127.0.0.1",
              endpoint.port(),
              password == null ? null : Secret.of(password),
              null,
              Duration.ofSeconds(5))) {
        processVersion = infoField(redis.text("INFO", "server"), "redis_version");
        versionReadFrom = endpoint;
      } catch (WorkflowException e) {
        return null; // not answering now (restarting): asked again at the next read
      }
    }
    return processVersion;
  }

  private static String infoField(String info, String field) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith(field + ":")) {
        return line.substring(field.length() + 1).strip();
      }
    }
    return null;
  }

  String status(Instant now) {
    if (goneAt != null) {
      return "delete-pending";
    }
    if (needsRecovery) {
      return "recovery";
    }
    if (creation != null && !creation.completed(now)) {
      return creation.failed(now) ? "creation-failed" : "pending";
    }
    if (importing != null && !importing.terminal(now)) {
      return "import-pending";
    }
    if (upgrade != null && !upgrade.terminal(now)) {
      return "active-change-pending";
    }
    return "active";
  }

  /** Whether a DELETE of it has ended by {@code now}. */
  boolean gone(Instant now) {
    return goneAt != null && !now.isBefore(goneAt);
  }

  /** The action that is running on it now, if any. */
  SimulatedAction runningAction(Instant now) {
    for (SimulatedAction a : new SimulatedAction[] {creation, upgrade, importing, recovery}) {
      if (a != null && !a.terminal(now)) {
        return a;
      }
    }
    return null;
  }

  Map<String, Object> toJson(Instant now, int shardNode) {
    var json = new LinkedHashMap<String, Object>();
    json.put("uid", uid);
    json.put("name", name);
    json.put("type", "redis");
    json.put("status", status(now));
    SimulatedAction running = runningAction(now);
    if (running != null) {
      json.put("action_uid", running.uid);
    }
    json.put("account_id", 0);
    json.put("aof_policy", "appendfsync-every-sec");
    json.put("authentication_admin_pass", password == null ? "" : password);
    json.put("authentication_redis_pass", password == null ? "" : password);
    json.put("authentication_sasl_pass", "");
    json.put("authentication_sasl_uname", "");
    json.put("authentication_ssl_client_certs", List.of());
    json.put("authentication_ssl_crdt_certs", List.of());
    json.put("authorized_subjects", List.of());
    json.put("avoid_nodes", List.of());
    json.put("background_op", List.of(Map.of("status", "idle", "name", "", "progress", 0)));
    json.put("backup", false);
    json.put("backup_history", 0);
    json.put("backup_interval", 86400);
    json.put("backup_interval_offset", 0);
    json.put("backup_progress", 0.0);
    json.put("bigstore", false);
    json.put("bigstore_ram_size", 0);
    json.put("client_cert_subject_validation_type", "disabled");
    json.put("crdt", false);
    json.put("crdt_sources", List.of());
    json.put("crdt_sync", "disabled");
    json.put("created_time", created.toString());
    json.put("data_internode_encryption", false);
    json.put("data_persistence", dataPersistence);
    json.put("db_conns_auditing", false);
    json.put("default_user", true);
    json.put("disabled_commands", "");
    json.put("email_alerts", false);
    json.put("endpoints", endpoints(shardNode));
    json.put("enforce_client_authentication", "enabled");
    json.put("eviction_policy", "volatile-lru");
    if (exportStatus != null) {
      json.put("export_status", exportStatus);
      json.put("export_progress", export == null ? 0.0 : (double) export.progress(now));
      if (exportFailureReason != null) {
        json.put("export_failure_reason", exportFailureReason);
      }
    }
    if (lastExportTime != null) {
      json.put("last_export_time", lastExportTime);
    }
    json.put("gradual_src_mode", "disabled");
    json.put("gradual_sync_mode", "auto");
    json.put("hash_slots_policy", "16k");
    json.put("implicit_shard_key", false);
    json.put("import_status", importStatus);
    json.put("import_progress", importing == null ? 0.0 : (double) importing.progress(now));
    if (importFailureReason != null) {
      json.put("import_failure_reason", importFailureReason);
    }
    json.put("internal", false);
    json.put("last_changed_time", lastChanged.toString());
    json.put("max_aof_file_size", 322122547200L);
    json.put("max_aof_load_time", 3600);
    json.put("max_connections", 0);
    json.put("memory_size", memorySize);
    json.put("module_list", List.of());
    json.put("oss_cluster", false);
    json.put("oss_cluster_api_preferred_ip_type", "internal");
    json.put("oss_sharding", false);
    // A database created without a port answers port 0; its port is under endpoints.
    json.put("port", requestedPort);
    json.put("proxy_policy", "single");
    json.put("rack_aware", false);
    json.put("recovery_wait_time", -1);
    json.put("redis_version", redisVersion);
    json.put("repl_backlog_size", "auto");
    json.put("replica_sources", replicaSources);
    json.put("replica_sync", replicaSync);
    json.put("replication", replication);
    json.put("resp3", true);
    json.put("shard_block_crossslot_keys", false);
    json.put("shard_block_foreign_keys", true);
    json.put("shard_list", List.of(uid));
    json.put("sharding", false);
    json.put("shards_count", 1);
    json.put("shards_placement", "dense");
    json.put("slave_buffer", "auto");
    json.put("slave_ha", false);
    json.put("snapshot_policy", List.of());
    json.put("ssl", tls);
    json.put("sync", "disabled");
    json.put("sync_sources", List.of());
    json.put("syncer_mode", "centralized");
    json.put("tags", List.of());
    json.put("tls_mode", tls ? "enabled" : "disabled");
    json.put("use_nodes", List.of());
    // The full version of the process serving the database, as its INFO reports it.
    json.put("version", processVersion() != null ? processVersion() : redisVersion + ".0");
    json.put("wait_command", true);
    json.put("simulator_backend", endpoint == null ? "none" : endpoint.kind());
    json.putAll(extra);
    return json;
  }

  private List<Map<String, Object>> endpoints(int shardNode) {
    if (endpoint == null) {
      return List.of();
    }
    var entry = new LinkedHashMap<String, Object>();
    entry.put("uid", uid + ":1");
    entry.put("dns_name", dnsName);
    entry.put("port", endpointPort);
    entry.put("addr", List.of("127.0.0.1"));
    entry.put("addr_type", "external");
    entry.put("proxy_policy", "single");
    entry.put("oss_cluster_api_preferred_ip_type", "internal");
    entry.put("exclude_proxies", List.of());
    entry.put("include_proxies", List.of());
    entry.put("simulator_node_uid", shardNode);
    return List.of(entry);
  }
}
