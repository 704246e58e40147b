package dev.opsflow.workflow.http;

import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyBuilder;
import dev.opsflow.workflow.ApiException;
import dev.opsflow.workflow.WorkflowException;
import java.time.Duration;

/**
 * Failsafe retry policies for calls made with {@link JsonHttpClient}, which never retries by
 * itself.
 *
 * <pre>{@code
 * RetryPolicy<Object> retry = HttpRetry.policy(5, Duration.ofSeconds(1), Duration.ofSeconds(30));
 * Cluster cluster = Failsafe.with(retry).get(() -> client.get("/v1/cluster", Cluster.class));
 * }</pre>
 *
 * <p>Stateless; the policies it returns are immutable and thread-safe, as Failsafe's are.
 */
public final class HttpRetry {
  /** Failsafe's signal to use the configured backoff instead of a computed delay. */
  private static final Duration USE_BACKOFF = Duration.ofMillis(-1);

  private HttpRetry() {}

  /**
   * {@return a policy that retries what {@link #isRetryable(Throwable)} accepts, with exponential
   * backoff from {@code initialDelay} up to {@code maxDelay}} When the failure carries the server's
   * Retry-After ({@link ApiException#retryAfter()}), that wait is used instead of the backoff, even
   * when it is longer than {@code maxDelay}: the server knows when it will take us back.
   *
   * @param maxAttempts attempts in all, the first included; at least 1
   * @param initialDelay the first wait; greater than zero
   * @param maxDelay the longest backoff wait; at least {@code initialDelay}
   * @throws IllegalArgumentException if an argument is out of range
   */
  public static RetryPolicy<Object> policy(
      int maxAttempts, Duration initialDelay, Duration maxDelay) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1");
    }
    if (initialDelay == null || initialDelay.isNegative() || initialDelay.isZero()) {
      throw new IllegalArgumentException("initialDelay must be > 0");
    }
    if (maxDelay == null || maxDelay.compareTo(initialDelay) < 0) {
      throw new IllegalArgumentException("maxDelay must be >= initialDelay");
    }
    RetryPolicyBuilder<Object> builder =
        RetryPolicy.builder()
            .handleIf(HttpRetry::isRetryable)
            .withMaxAttempts(maxAttempts)
            .withDelayFn(context -> serverDelay(context.getLastException()));
    if (maxDelay.equals(initialDelay)) {
      builder.withDelay(initialDelay);
    } else {
      builder.withBackoff(initialDelay, maxDelay);
    }
    return builder.build();
  }

  /**
   * Whether a failure from {@link JsonHttpClient} is worth another try: a retryable {@link
   * ApiException} (connection failures, 408, 425, 429, 5xx) or a request timeout. Other exceptions,
   * including 4xx answers and PROTOCOL failures, are not.
   *
   * @param failure anything a client call threw
   * @return true when another try may succeed
   */
  public static boolean isRetryable(Throwable failure) {
    return failure instanceof WorkflowException e && e.retryable();
  }

  /** The server's requested wait, or a negative duration so that Failsafe uses the backoff. */
  private static Duration serverDelay(Throwable failure) {
    if (failure instanceof ApiException api) {
      return api.retryAfter().orElse(USE_BACKOFF);
    }
    if (failure instanceof dev.opsflow.workflow.CircuitOpenException open) {
      return open.retryAfter();
    }
    return USE_BACKOFF;
  }
}
