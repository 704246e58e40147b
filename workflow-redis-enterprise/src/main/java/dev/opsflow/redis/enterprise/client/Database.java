package dev.opsflow.redis.enterprise.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.opsflow.workflow.Secret;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * A database ({@code bdb}) as {@code GET /v1/bdbs} answers it, reduced to what workflows need;
 * unknown fields are ignored. The database password ({@code authentication_redis_pass}) is held as
 * a {@link Secret}, so printing or serialising a database never shows it. Immutable.
 *
 * @param uid the database's id
 * @param name its name
 * @param status {@code pending}, {@code active}, {@code creation-failed}, {@code
 *     active-change-pending}, {@code delete-pending}, {@code recovery}, ...
 * @param memorySize its memory limit in bytes
 * @param type {@code redis} or {@code memcached}
 * @param version the Redis version it runs
 * @param port its port, or 0 when assigned automatically and not yet known
 * @param endpoints where clients connect
 * @param tlsMode {@code enabled}, {@code disabled} or {@code replica_ssl}, or null
 * @param ssl the older TLS flag, or null
 * @param password the default user's password, or null
 * @param actionUid the action to poll after an asynchronous create or change, or null
 * @param redisVersion the Redis compatibility version as MAJOR.MINOR ({@code 7.4}), or null
 * @param replication whether it keeps a replica, or null
 * @param dataPersistence {@code disabled}, {@code aof} or {@code snapshot}, or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Database(
    @JsonProperty("uid") int uid,
    @JsonProperty("name") String name,
    @JsonProperty("status") String status,
    @JsonProperty("memory_size") long memorySize,
    @JsonProperty("type") String type,
    @JsonProperty("version") String version,
    @JsonProperty("port") int port,
    @JsonProperty("endpoints") List<DatabaseEndpoint> endpoints,
    @JsonProperty("tls_mode") String tlsMode,
    @JsonProperty("ssl") Boolean ssl,
    @JsonProperty("authentication_redis_pass") @JsonDeserialize(using = SecretJson.class)
        Secret password,
    @JsonProperty("action_uid") String actionUid,
    @JsonProperty("redis_version") String redisVersion,
    @JsonProperty("replication") Boolean replication,
    @JsonProperty("data_persistence") String dataPersistence) {

  /**
   * Copies the endpoints (null becomes empty), so the record is immutable.
   *
   * @param uid the database's id
   * @param name its name
   * @param status {@code pending}, {@code active}, {@code creation-failed}, {@code
   *     active-change-pending}, {@code delete-pending}, {@code recovery}, ...
   * @param memorySize its memory limit in bytes
   * @param type {@code redis} or {@code memcached}
   * @param version the Redis version it runs
   * @param port its port, or 0 when assigned automatically and not yet known
   * @param endpoints where clients connect
   * @param tlsMode {@code enabled}, {@code disabled} or {@code replica_ssl}, or null
   * @param ssl the older TLS flag, or null
   * @param password the default user's password, or null
   * @param actionUid the action to poll after an asynchronous create or change, or null
   * @param redisVersion the Redis compatibility version as MAJOR.MINOR ({@code 7.4}), or null
   * @param replication whether it keeps a replica, or null
   * @param dataPersistence {@code disabled}, {@code aof} or {@code snapshot}, or null
   */
  public Database {
    endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
  }

  /** {@return whether the database serves clients} */
  public boolean isActive() {
    return "active".equals(status);
  }

  /**
   * {@return whether its data survives a restart of its shards (replicated or persistent): an
   * upgrade of a database that is neither discards its data}
   */
  public boolean keepsDataOnRestart() {
    return Boolean.TRUE.equals(replication)
        || (dataPersistence != null && !dataPersistence.equals("disabled"));
  }

  /** {@return whether its creation failed} */
  public boolean isCreationFailed() {
    return "creation-failed".equals(status);
  }

  /** {@return whether clients must connect with TLS} */
  public boolean requiresTls() {
    return "enabled".equals(tlsMode) || Boolean.TRUE.equals(ssl);
  }

  /** {@return the password, when the database has a non-empty one} */
  public Optional<Secret> passwordIfSet() {
    return password == null || password.isEmpty() ? Optional.empty() : Optional.of(password);
  }

  /** {@return the first endpoint, if any} */
  public Optional<DatabaseEndpoint> primaryEndpoint() {
    return endpoints.isEmpty() ? Optional.empty() : Optional.of(endpoints.get(0));
  }
}
