package dev.opsflow.redis.cloud.testing;

import dev.opsflow.workflow.testing.RedisEndpoints;
import java.time.Duration;
import java.util.Objects;

/**
 * How the {@link RedisCloudSimulator} behaves: its keys, how long tasks take, how long resources
 * stay {@code pending} after their task, its rate limit and where database endpoints come from.
 * Immutable; start from {@link #defaults()} and adjust with the {@code withX} methods.
 *
 * @param apiKey the account key the simulator accepts ({@code x-api-key})
 * @param secretKey the user key it accepts ({@code x-api-secret-key})
 * @param queueDelay how long a task stays {@code received} at least
 * @param subscriptionTask how long processing a subscription task takes
 * @param databaseTask how long processing a database task takes
 * @param subscriptionProvisioning how long a subscription stays {@code pending} after its task
 * @param databaseProvisioning how long a database stays {@code pending} after its task
 * @param requestsPerMinute the rate limit per key (0: none); over it the answer is 429
 * @param endpoints where database endpoints come from
 */
public record SimulatorSettings(
    String apiKey,
    String secretKey,
    Duration queueDelay,
    Duration subscriptionTask,
    Duration databaseTask,
    Duration subscriptionProvisioning,
    Duration databaseProvisioning,
    int requestsPerMinute,
    RedisEndpoints endpoints) {

  /** The account id the simulator reports. */
  public static final long ACCOUNT_ID = 40_001;

  /**
   * Checks every part.
   *
   * @param apiKey the account key the simulator accepts ({@code x-api-key})
   * @param secretKey the user key it accepts ({@code x-api-secret-key})
   * @param queueDelay how long a task stays {@code received} at least
   * @param subscriptionTask how long processing a subscription task takes
   * @param databaseTask how long processing a database task takes
   * @param subscriptionProvisioning how long a subscription stays {@code pending} after its task
   * @param databaseProvisioning how long a database stays {@code pending} after its task
   * @param requestsPerMinute the rate limit per key (0: none); over it the answer is 429
   * @param endpoints where database endpoints come from
   */
  public SimulatorSettings {
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(secretKey, "secretKey");
    Objects.requireNonNull(endpoints, "endpoints");
    for (Duration d :
        new Duration[] {
          queueDelay, subscriptionTask, databaseTask, subscriptionProvisioning, databaseProvisioning
        }) {
      if (d == null || d.isNegative()) {
        throw new IllegalArgumentException("durations must be >= 0, was " + d);
      }
    }
    if (requestsPerMinute < 0) {
      throw new IllegalArgumentException("requestsPerMinute must be >= 0");
    }
  }

  /**
   * Keys {@code sim-api-key} / {@code sim-secret-key}, tasks of 30 s (subscriptions) and 10 s
   * (databases), resources pending 60 s and 20 s after their task, the API's 400 requests a minute,
   * endpoints from {@link RedisEndpoints#auto()}.
   *
   * @return the default settings
   */
  public static SimulatorSettings defaults() {
    return new SimulatorSettings(
        "sim-api-key",
        "sim-secret-key",
        Duration.ofSeconds(1),
        Duration.ofSeconds(30),
        Duration.ofSeconds(10),
        Duration.ofSeconds(60),
        Duration.ofSeconds(20),
        400,
        RedisEndpoints.auto());
  }

  /**
   * {@return the defaults with short times, for demos on the system clock: tasks of 2 s and 1 s,
   * resources pending 3 s and 2 s after their task}
   */
  public static SimulatorSettings fast() {
    return defaults()
        .withTaskDurations(Duration.ofSeconds(2), Duration.ofSeconds(1))
        .withSubscriptionProvisioning(Duration.ofSeconds(3))
        .withDatabaseProvisioning(Duration.ofSeconds(2));
  }

  /**
   * A copy with other keys.
   *
   * @param api the account key the simulator accepts
   * @param secret the user key it accepts
   * @return the copy
   */
  public SimulatorSettings withKeys(String api, String secret) {
    return new SimulatorSettings(
        api,
        secret,
        queueDelay,
        subscriptionTask,
        databaseTask,
        subscriptionProvisioning,
        databaseProvisioning,
        requestsPerMinute,
        endpoints);
  }

  /**
   * A copy whose subscriptions stay pending this long after their task completed.
   *
   * @param d how long a subscription stays pending
   * @return the copy
   */
  public SimulatorSettings withSubscriptionProvisioning(Duration d) {
    return new SimulatorSettings(
        apiKey,
        secretKey,
        queueDelay,
        subscriptionTask,
        databaseTask,
        d,
        databaseProvisioning,
        requestsPerMinute,
        endpoints);
  }

  /**
   * A copy whose databases stay pending this long after their task completed.
   *
   * @param d how long a database stays pending
   * @return the copy
   */
  public SimulatorSettings withDatabaseProvisioning(Duration d) {
    return new SimulatorSettings(
        apiKey,
        secretKey,
        queueDelay,
        subscriptionTask,
        databaseTask,
        subscriptionProvisioning,
        d,
        requestsPerMinute,
        endpoints);
  }

  /**
   * A copy with other task durations.
   *
   * @param subscription how long a subscription task takes
   * @param database how long a database task takes
   * @return the copy
   */
  public SimulatorSettings withTaskDurations(Duration subscription, Duration database) {
    return new SimulatorSettings(
        apiKey,
        secretKey,
        queueDelay,
        subscription,
        database,
        subscriptionProvisioning,
        databaseProvisioning,
        requestsPerMinute,
        endpoints);
  }

  /**
   * A copy with another rate limit (0: none).
   *
   * @param rate the requests a minute per key, or 0 for no limit
   * @return the copy
   */
  public SimulatorSettings withRequestsPerMinute(int rate) {
    return new SimulatorSettings(
        apiKey,
        secretKey,
        queueDelay,
        subscriptionTask,
        databaseTask,
        subscriptionProvisioning,
        databaseProvisioning,
        rate,
        endpoints);
  }

  /**
   * A copy with other database endpoints.
   *
   * @param e what serves the databases' endpoints
   * @return the copy
   */
  public SimulatorSettings withEndpoints(RedisEndpoints e) {
    return new SimulatorSettings(
        apiKey,
        secretKey,
        queueDelay,
        subscriptionTask,
        databaseTask,
        subscriptionProvisioning,
        databaseProvisioning,
        requestsPerMinute,
        e);
  }
}
