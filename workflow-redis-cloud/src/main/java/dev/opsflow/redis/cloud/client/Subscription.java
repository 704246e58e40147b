package dev.opsflow.redis.cloud.client;

/**
 * A Pro subscription as {@code GET /subscriptions/{id}} answers it. Unknown fields are ignored.
 * Immutable.
 *
 * @param id the subscription's id
 * @param name its name
 * @param status {@code pending}, {@code active}, {@code deleting} or {@code error}
 * @param deploymentType {@code single-region} or {@code active-active}, when the API says
 * @param paymentMethodId the payment method's id, or null
 * @param paymentMethodType {@code credit-card} or {@code marketplace}
 * @param memoryStorage {@code ram} or {@code ram-and-flash}
 * @param numberOfDatabases how many databases it holds
 */
public record Subscription(
    long id,
    String name,
    String status,
    String deploymentType,
    Long paymentMethodId,
    String paymentMethodType,
    String memoryStorage,
    Integer numberOfDatabases) {

  /** {@return whether the status is {@code active}} */
  public boolean isActive() {
    return "active".equals(status);
  }

  /** {@return whether the status is {@code error}} */
  public boolean isError() {
    return "error".equals(status);
  }
}
