package dev.opsflow.redis.cloud.client;

/**
 * An Essentials (fixed) subscription. Immutable.
 *
 * @param id its id
 * @param name its name
 * @param status {@code pending}, {@code active}, {@code deleting} or {@code error}
 * @param planId the plan's id
 * @param planName the plan's name
 * @param provider the cloud provider
 * @param region the region
 * @param price the price; 0 for the free plan
 */
public record FixedSubscription(
    long id,
    String name,
    String status,
    Long planId,
    String planName,
    String provider,
    String region,
    Integer price) {

  /** {@return whether the status is {@code active}} */
  public boolean isActive() {
    return "active".equals(status);
  }

  /** {@return whether the status is {@code error}} */
  public boolean isError() {
    return "error".equals(status);
  }
}
