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
 * @param enableTls whether clients must connect over TLS (the API's default: false); only plans
 *     whose {@link FixedPlan#supportSsl()} is true (paid ones) allow it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FixedDatabaseCreateRequest(
    String name,
    String protocol,
    String dataPersistence,
    Boolean replication,
    String redisVersion,
    Boolean enableTls) {

  /**
   * The request without {@code enableTls} (the API's default applies).
   *
   * @param name the database's name
   * @param protocol {@code redis}, {@code memcached} or {@code stack}
   * @param dataPersistence the persistence, where the plan supports it
   * @param replication whether to replicate, where the plan supports it
   * @param redisVersion the Redis version
   */
  public FixedDatabaseCreateRequest(
      String name,
      String protocol,
      String dataPersistence,
      Boolean replication,
      String redisVersion) {
    this(name, protocol, dataPersistence, replication, redisVersion, null);
  }

  /**
   * A database with only a name: the plan decides the rest.
   *
   * @param name the database's name
   * @return the request, with every other setting left to the plan
   */
  public static FixedDatabaseCreateRequest named(String name) {
    return new FixedDatabaseCreateRequest(name, null, null, null, null, null);
  }

  /**
   * A copy with {@code enableTls} (null: left out, the API's default).
   *
   * @param tls true to require TLS of every client, or null for the default
   * @return a copy with that choice
   */
  public FixedDatabaseCreateRequest withEnableTls(Boolean tls) {
    return new FixedDatabaseCreateRequest(
        name, protocol, dataPersistence, replication, redisVersion, tls);
  }
}
