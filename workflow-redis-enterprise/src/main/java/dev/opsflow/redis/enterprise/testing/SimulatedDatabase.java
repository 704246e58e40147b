package dev.opsflow.redis.enterprise.testing;

import dev.opsflow.workflow.testing.RedisEndpoint;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A simulated database: its configuration, its creation action and its Redis endpoint. */
final class SimulatedDatabase {
  final int uid;
  String name;
  long memorySize;
  final String redisVersion;
  final String password;
  final boolean tls;
  final Instant created;
  final SimulatedAction creation;
  final RedisEndpoint endpoint;
  final String dnsName;
  final Map<String, Object> extra = new LinkedHashMap<>();

  /** When a DELETE ends: until then the database is {@code delete-pending}; null: not deleted. */
  Instant goneAt;

  SimulatedDatabase(
      int uid,
      String name,
      long memorySize,
      String redisVersion,
      String password,
      boolean tls,
      Instant created,
      SimulatedAction creation,
      RedisEndpoint endpoint,
      String dnsName) {
    this.uid = uid;
    this.name = name;
    this.memorySize = memorySize;
    this.redisVersion = redisVersion;
    this.password = password;
    this.tls = tls;
    this.created = created;
    this.creation = creation;
    this.endpoint = endpoint;
    this.dnsName = dnsName;
  }

  String status(Instant now) {
    if (goneAt != null) {
      return "delete-pending";
    }
    if (creation == null || creation.completed(now)) {
      return "active";
    }
    return creation.failed(now) ? "creation-failed" : "pending";
  }

  /** Whether a DELETE of it has ended by {@code now}. */
  boolean gone(Instant now) {
    return goneAt != null && !now.isBefore(goneAt);
  }

  Map<String, Object> toJson(Instant now) {
    var json = new LinkedHashMap<String, Object>();
    json.put("uid", uid);
    json.put("name", name);
    json.put("type", "redis");
    json.put("status", status(now));
    json.put("memory_size", memorySize);
    json.put("version", redisVersion + ".0");
    json.put("redis_version", redisVersion);
    json.put("port", endpoint.port());
    json.put("shards_count", 1);
    json.put("replication", false);
    json.put("data_persistence", "disabled");
    json.put("tls_mode", tls ? "enabled" : "disabled");
    json.put("ssl", tls);
    json.put("authentication_redis_pass", password == null ? "" : password);
    json.put("created_time", created.toString());
    json.put(
        "endpoints",
        List.of(
            Map.of(
                "uid",
                uid + ":1",
                "dns_name",
                dnsName,
                "port",
                endpoint.port(),
                "addr",
                List.of("127.0.0.1"),
                "addr_type",
                "external",
                "proxy_policy",
                "single")));
    json.put("simulator_backend", endpoint.kind());
    json.putAll(extra);
    return json;
  }
}
