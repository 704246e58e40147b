package dev.opsflow.redis.cloud.client;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of {@code POST /fixed/subscriptions/{id}/databases}: only {@code name} is required. Null
 * fields are left out. Immutable.
 *
 * @param name the database's name
 * @param protocol {@code redis}, {@code memcached} or {@code stack}
 * @param dataPersistence the persistence, where the plan supports it
 * @param replication whether to replicate, where the plan supports it
 * @param redisVersion the Redis version
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FixedDatabaseCreateRequest(
    String name,
    String protocol,
    String dataPersistence,
    Boolean replication,
    String redisVersion) {

  /** A database with only a name: the plan decides the rest. */
  public static FixedDatabaseCreateRequest named(String name) {
    return new FixedDatabaseCreateRequest(name, null, null, null, null);
  }
}
