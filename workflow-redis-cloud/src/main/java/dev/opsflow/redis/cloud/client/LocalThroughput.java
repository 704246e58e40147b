package dev.opsflow.redis.cloud.client;

/**
 * The throughput of one region of an Active-Active database ({@code LocalThroughput}). Immutable.
 *
 * @param region the region
 * @param writeOperationsPerSecond writes per second
 * @param readOperationsPerSecond reads per second
 */
public record LocalThroughput(
    String region, long writeOperationsPerSecond, long readOperationsPerSecond) {}
