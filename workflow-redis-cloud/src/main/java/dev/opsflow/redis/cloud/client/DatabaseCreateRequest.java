package dev.opsflow.redis.cloud.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The body of {@code POST /subscriptions/{id}/databases} ({@code DatabaseCreateRequest}); only
 * {@code name} is required. See {@link DatabaseSpec} for the fields. Null fields are left out.
 * Immutable.
 *
 * @param name the database's name
 * @param protocol {@code redis} or {@code memcached}
 * @param memoryLimitInGb memory limit
 * @param datasetSizeInGb dataset size
 * @param supportOssClusterApi whether to expose the OSS Cluster API
 * @param dataPersistence the persistence
 * @param replication whether to replicate
 * @param throughputMeasurement the throughput
 * @param localThroughputMeasurement per-region throughput (Active-Active)
 * @param modules the modules
 * @param averageItemSizeInBytes the average item size
 * @param respVersion the RESP version
 * @param redisVersion the Redis version
 * @param shardingType the sharding type
 * @param queryPerformanceFactor the search query performance factor
 * @param enableTls whether clients must connect over TLS (the API's default: false)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DatabaseCreateRequest(
    String name,
    String protocol,
    Double memoryLimitInGb,
    Double datasetSizeInGb,
    @JsonProperty("supportOSSClusterApi") Boolean supportOssClusterApi,
    String dataPersistence,
    Boolean replication,
    Throughput throughputMeasurement,
    List<LocalThroughput> localThroughputMeasurement,
    List<ModuleSpec> modules,
    Long averageItemSizeInBytes,
    String respVersion,
    String redisVersion,
    String shardingType,
    String queryPerformanceFactor,
    Boolean enableTls) {

  /**
   * The request without {@code enableTls} (the API's default applies).
   *
   * @param name the database's name
   * @param protocol {@code redis} or {@code memcached}
   * @param memoryLimitInGb memory limit
   * @param datasetSizeInGb dataset size
   * @param supportOssClusterApi whether to expose the OSS Cluster API
   * @param dataPersistence the persistence
   * @param replication whether to replicate
   * @param throughputMeasurement the throughput
   * @param localThroughputMeasurement per-region throughput (Active-Active)
   * @param modules the modules
   * @param averageItemSizeInBytes the average item size
   * @param respVersion the RESP version
   * @param redisVersion the Redis version
   * @param shardingType the sharding type
   * @param queryPerformanceFactor the search query performance factor
   */
  public DatabaseCreateRequest(
      String name,
      String protocol,
      Double memoryLimitInGb,
      Double datasetSizeInGb,
      Boolean supportOssClusterApi,
      String dataPersistence,
      Boolean replication,
      Throughput throughputMeasurement,
      List<LocalThroughput> localThroughputMeasurement,
      List<ModuleSpec> modules,
      Long averageItemSizeInBytes,
      String respVersion,
      String redisVersion,
      String shardingType,
      String queryPerformanceFactor) {
    this(
        name,
        protocol,
        memoryLimitInGb,
        datasetSizeInGb,
        supportOssClusterApi,
        dataPersistence,
        replication,
        throughputMeasurement,
        localThroughputMeasurement,
        modules,
        averageItemSizeInBytes,
        respVersion,
        redisVersion,
        shardingType,
        queryPerformanceFactor,
        null);
  }

  /**
   * A copy with {@code enableTls} (null: left out, the API's default).
   *
   * @param tls true to require TLS of every client, or null for the default
   * @return a copy with that choice
   */
  public DatabaseCreateRequest withEnableTls(Boolean tls) {
    return new DatabaseCreateRequest(
        name,
        protocol,
        memoryLimitInGb,
        datasetSizeInGb,
        supportOssClusterApi,
        dataPersistence,
        replication,
        throughputMeasurement,
        localThroughputMeasurement,
        modules,
        averageItemSizeInBytes,
        respVersion,
        redisVersion,
        shardingType,
        queryPerformanceFactor,
        tls);
  }
}
