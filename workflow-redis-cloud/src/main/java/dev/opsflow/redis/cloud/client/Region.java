package dev.opsflow.redis.cloud.client;

/**
 * A region where subscriptions can run ({@code GET /regions}). Immutable.
 *
 * @param name the region's name ({@code us-east-1})
 * @param provider {@code AWS} or {@code GCP}
 */
public record Region(String name, String provider) {}
