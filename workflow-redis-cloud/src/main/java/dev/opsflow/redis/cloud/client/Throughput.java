package dev.opsflow.redis.cloud.client;

/**
 * A database's throughput ({@code DatabaseThroughputSpec}): {@code by} is {@code
 * operations-per-second} or {@code number-of-shards}. Immutable.
 *
 * @param by the measurement
 * @param value the amount
 */
public record Throughput(String by, long value) {}
