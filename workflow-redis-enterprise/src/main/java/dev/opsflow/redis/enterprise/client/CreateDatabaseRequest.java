package dev.opsflow.redis.enterprise.client;

import dev.opsflow.workflow.Secret;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /v1/bdbs}. Start from {@link #of(String, long)} and adjust with the
 * {@code withX} copies. Immutable; the password prints as {@code ****}.
 *
 * @param name the database's name (required)
 * @param memorySize its memory limit in bytes (required, &gt; 0)
 * @param type {@code redis} (default) or {@code memcached}
 * @param port a fixed port, or null to let the cluster pick one
 * @param replication whether to keep a replica, or null for the cluster's default
 * @param dataPersistence {@code disabled}, {@code aof} or {@code snapshot}, or null
 * @param redisVersion {@code MAJOR.MINOR} (a patch form is rejected by the API), or null for the
 *     cluster's default
 * @param password the default user's password, or null for none
 * @param tls whether clients must use TLS
 */
public record CreateDatabaseRequest(
    String name,
    long memorySize,
    String type,
    Integer port,
    Boolean replication,
    String dataPersistence,
    String redisVersion,
    Secret password,
    boolean tls) {

  /** The form {@code POST /v1/bdbs} accepts for {@code redis_version}. */
  public static final Pattern REDIS_VERSION = Pattern.compile("\\d+\\.\\d+");

  /**
   * Checks the required fields and the Redis version's form.
   *
   * @param name the database's name (required)
   * @param memorySize its memory limit in bytes (required, &gt; 0)
   * @param type {@code redis} (default) or {@code memcached}
   * @param port a fixed port, or null to let the cluster pick one
   * @param replication whether to keep a replica, or null for the cluster's default
   * @param dataPersistence {@code disabled}, {@code aof} or {@code snapshot}, or null
   * @param redisVersion {@code MAJOR.MINOR} (a patch form is rejected by the API), or null for the
   *     cluster's default
   * @param password the default user's password, or null for none
   * @param tls whether clients must use TLS
   * @throws IllegalArgumentException for a blank name, a memory size &lt;= 0 or a version that is
   *     not MAJOR.MINOR
   */
  public CreateDatabaseRequest {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    if (memorySize <= 0) {
      throw new IllegalArgumentException("memorySize must be > 0 bytes, was " + memorySize);
    }
    if (redisVersion != null && !REDIS_VERSION.matcher(redisVersion).matches()) {
      throw new IllegalArgumentException(
          "redisVersion must be MAJOR.MINOR such as 7.4, was '" + redisVersion + "'");
    }
    type = type == null ? "redis" : type;
  }

  /**
   * A Redis database of {@code memoryBytes} bytes with every other setting left to the cluster.
   *
   * @param name the database's name (required)
   * @param memoryBytes the memory limit in bytes
   * @return the request
   */
  public static CreateDatabaseRequest of(String name, long memoryBytes) {
    return new CreateDatabaseRequest(
        name, memoryBytes, "redis", null, null, null, null, null, false);
  }

  /**
   * A copy with a fixed port.
   *
   * @param value the port, or null for one the cluster picks
   * @return a copy with that port
   */
  public CreateDatabaseRequest withPort(Integer value) {
    return new CreateDatabaseRequest(
        name, memorySize, type, value, replication, dataPersistence, redisVersion, password, tls);
  }

  /**
   * A copy with replication on or off.
   *
   * @param value true for a replica of each shard, or null for the cluster's default
   * @return a copy with that choice
   */
  public CreateDatabaseRequest withReplication(Boolean value) {
    return new CreateDatabaseRequest(
        name, memorySize, type, port, value, dataPersistence, redisVersion, password, tls);
  }

  /**
   * A copy with a persistence mode.
   *
   * @param value {@code disabled}, {@code aof} or {@code snapshot}, or null for the default
   * @return a copy with that mode
   */
  public CreateDatabaseRequest withPersistence(String value) {
    return new CreateDatabaseRequest(
        name, memorySize, type, port, replication, value, redisVersion, password, tls);
  }

  /**
   * A copy with a Redis version (MAJOR.MINOR).
   *
   * @param value the Redis version as MAJOR.MINOR, or null for the cluster's default
   * @return a copy with that version
   */
  public CreateDatabaseRequest withRedisVersion(String value) {
    return new CreateDatabaseRequest(
        name, memorySize, type, port, replication, dataPersistence, value, password, tls);
  }

  /**
   * A copy with a password for the default user.
   *
   * @param value the default user's password, or null for none
   * @return a copy with that password
   */
  public CreateDatabaseRequest withPassword(Secret value) {
    return new CreateDatabaseRequest(
        name, memorySize, type, port, replication, dataPersistence, redisVersion, value, tls);
  }

  /**
   * A copy that requires TLS or not.
   *
   * @param value true to require TLS of every client
   * @return a copy with that choice
   */
  public CreateDatabaseRequest withTls(boolean value) {
    return new CreateDatabaseRequest(
        name, memorySize, type, port, replication, dataPersistence, redisVersion, password, value);
  }

  /** The JSON body, password in clear: build it only to send it. */
  Map<String, Object> toBody() {
    var body = new LinkedHashMap<String, Object>();
    body.put("name", name);
    body.put("type", type);
    body.put("memory_size", memorySize);
    if (port != null) {
      body.put("port", port);
    }
    if (replication != null) {
      body.put("replication", replication);
    }
    if (dataPersistence != null) {
      body.put("data_persistence", dataPersistence);
    }
    if (redisVersion != null) {
      body.put("redis_version", redisVersion);
    }
    if (password != null && !password.isEmpty()) {
      body.put("authentication_redis_pass", password.reveal());
    }
    if (tls) {
      body.put("tls_mode", "enabled");
    }
    return body;
  }
}
