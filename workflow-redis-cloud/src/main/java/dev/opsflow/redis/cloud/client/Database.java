package dev.opsflow.redis.cloud.client;

import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * A database of a Pro or Essentials subscription, as the API answers it. The password is a {@link
 * dev.opsflow.workflow.Secret} and prints as {@code ****}. Unknown fields are ignored. Immutable.
 *
 * @param databaseId the database's id
 * @param name its name
 * @param protocol {@code redis}, {@code memcached} or {@code stack}
 * @param status {@code draft}, {@code pending}, {@code active}, {@code active-change-pending} or
 *     {@code error}
 * @param memoryLimitInGb its memory limit
 * @param datasetSizeInGb its dataset size
 * @param replication whether it is replicated
 * @param dataPersistence its persistence setting
 * @param redisVersion its Redis version
 * @param publicEndpoint {@code host:port} reachable from outside
 * @param privateEndpoint {@code host:port} inside the VPC
 * @param security TLS and password
 * @param throughputMeasurement its throughput setting
 * @param modules its modules as the API lists them
 * @param activeActiveRedis whether it is an Active-Active database
 * @param crdbDatabases the regional instances of an Active-Active database
 * @param replica its Replica Of sources ({@code host:port} only), or null
 */
public record Database(
    long databaseId,
    String name,
    String protocol,
    String status,
    Double memoryLimitInGb,
    Double datasetSizeInGb,
    Boolean replication,
    String dataPersistence,
    String redisVersion,
    String publicEndpoint,
    String privateEndpoint,
    DatabaseSecurity security,
    Throughput throughputMeasurement,
    List<JsonNode> modules,
    Boolean activeActiveRedis,
    List<RegionalDatabase> crdbDatabases,
    ReplicaOf replica) {

  /** {@return its Replica Of sources, never null: {@link ReplicaOf#NONE} when it has none} */
  public ReplicaOf replicaOrNone() {
    return replica == null ? ReplicaOf.NONE : replica;
  }

  /** {@return whether the status is {@code active}} */
  public boolean isActive() {
    return "active".equals(status);
  }

  /** {@return whether the status is {@code error}} */
  public boolean isError() {
    return "error".equals(status);
  }

  /** {@return the security settings, never null} */
  public DatabaseSecurity securityOrNone() {
    return security == null ? DatabaseSecurity.NONE : security;
  }

  /** {@return the public endpoint of the database, or of its first region for Active-Active} */
  public Optional<String> endpoint() {
    if (publicEndpoint != null && !publicEndpoint.isBlank()) {
      return Optional.of(publicEndpoint);
    }
    if (crdbDatabases != null) {
      return crdbDatabases.stream()
          .map(RegionalDatabase::publicEndpoint)
          .filter(e -> e != null && !e.isBlank())
          .findFirst();
    }
    return Optional.empty();
  }

  /**
   * One region's instance of an Active-Active database.
   *
   * @param region the cloud region
   * @param publicEndpoint its public {@code host:port}
   * @param privateEndpoint its private {@code host:port}
   * @param security its TLS and password
   */
  public record RegionalDatabase(
      String region, String publicEndpoint, String privateEndpoint, DatabaseSecurity security) {}
}
