package dev.opsflow.redis.cloud.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A database as the creation plan of a subscription lists it ({@code SubscriptionDatabaseSpec}),
 * and, through {@link #toCreateRequest()}, as {@code POST /subscriptions/{id}/databases} takes it.
 * {@code name} and {@code protocol} are required. Null fields are left out. Immutable.
 *
 * @param name the database's name
 * @param protocol {@code redis} or {@code memcached}
 * @param memoryLimitInGb memory limit (or use datasetSizeInGb)
 * @param datasetSizeInGb dataset size
 * @param supportOssClusterApi whether to expose the OSS Cluster API
 * @param dataPersistence {@code none}, {@code aof-every-1-second}, ...
 * @param replication whether to replicate
 * @param throughputMeasurement the throughput
 * @param localThroughputMeasurement per-region throughput (Active-Active)
 * @param modules the modules
 * @param quantity how many such databases
 * @param averageItemSizeInBytes the average item size (ram-and-flash)
 * @param respVersion {@code resp2} or {@code resp3}
 * @param redisVersion the Redis version
 * @param shardingType the sharding type
 * @param queryPerformanceFactor the search query performance factor
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DatabaseSpec(
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
    Integer quantity,
    Long averageItemSizeInBytes,
    String respVersion,
    String redisVersion,
    String shardingType,
    String queryPerformanceFactor) {

  /**
   * A Redis database with a memory limit and nothing else set.
   *
   * @param name the database's name
   * @param memoryLimitInGb memory limit (or use datasetSizeInGb)
   * @return the spec, with every other setting left to the plan
   */
  public static DatabaseSpec redis(String name, double memoryLimitInGb) {
    return new DatabaseSpec(
        name,
        "redis",
        memoryLimitInGb,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  /** {@return the same settings as a {@link DatabaseCreateRequest}} */
  public DatabaseCreateRequest toCreateRequest() {
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
        queryPerformanceFactor);
  }
}
