package dev.opsflow.workflow;

import dev.failsafe.RetryPolicy;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Named retry presets (Failsafe {@link RetryPolicy}s) and the classification that decides what is
 * worth a retry.
 *
 * <p>Retryable: I/O and connection errors, timeouts, and any {@link WorkflowException} marked
 * retryable (an {@link ApiException} for 408, 429 or 5xx). Not retryable: validation,
 * configuration, authentication, cancellation, and exceptions Opsflow does not know. A policy built
 * here never retries those, whatever its attempt count. Thread-safe.
 */
public final class Retries {
  private Retries() {}

  /** {@return no retry: one attempt} */
  public static RetryPolicy<Object> none() {
    return RetryPolicy.builder().withMaxAttempts(1).build();
  }

  /**
   * 3 attempts, backoff 1 s doubling to at most 30 s, 25% jitter, retryable errors only.
   *
   * @return a Failsafe retry policy for {@link StepOptions#withRetry}
   */
  public static RetryPolicy<Object> standard() {
    return exponential(3, Duration.ofSeconds(1), Duration.ofSeconds(30));
  }

  /**
   * {@code maxAttempts} attempts with exponential backoff from {@code initialDelay} doubling to
   * {@code maxDelay}, 25% jitter, retryable errors only.
   *
   * @param maxAttempts the attempts in all, the first included
   * @param initialDelay the delay before the first retry
   * @param maxDelay the longest delay between two attempts
   * @return a Failsafe retry policy for {@link StepOptions#withRetry}
   * @throws IllegalArgumentException if maxAttempts &lt; 1 or the delays are not positive and
   *     ordered
   */
  public static RetryPolicy<Object> exponential(
      int maxAttempts, Duration initialDelay, Duration maxDelay) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
    }
    if (initialDelay.isNegative()
        || initialDelay.isZero()
        || maxDelay.compareTo(initialDelay) <= 0) {
      throw new IllegalArgumentException(
          "delays must satisfy 0 < initialDelay < maxDelay, were "
              + initialDelay
              + " and "
              + maxDelay);
    }
    return builder()
        .withMaxAttempts(maxAttempts)
        .withBackoff(initialDelay, maxDelay)
        .withJitter(0.25)
        .build();
  }

  /**
   * {@return a Failsafe builder that already handles only retryable errors; add attempts, delays,
   * jitter}
   */
  public static dev.failsafe.RetryPolicyBuilder<Object> builder() {
    return RetryPolicy.builder().handleIf((result, error) -> error != null && isRetryable(error));
  }

  /**
   * Whether {@code error} is worth another attempt.
   *
   * @param error any exception a step threw
   * @return true for a retryable {@link WorkflowException} and for timeouts and refused connections
   */
  public static boolean isRetryable(Throwable error) {
    return classify(error).retryable();
  }

  /**
   * The kind, retryability, details and suggestions of any throwable.
   *
   * @param error any exception
   * @return {@code error} itself when it is a {@link WorkflowException}, else one that classifies
   *     it
   */
  public static WorkflowException classify(Throwable error) {
    if (error instanceof WorkflowException we) {
      return we;
    }
    if (error instanceof HttpTimeoutException || error instanceof TimeoutException) {
      return new WorkflowException(ErrorKind.TIMEOUT, messageOf(error), error);
    }
    if (error instanceof IOException) {
      return new WorkflowException(ErrorKind.CONNECTION, messageOf(error), error);
    }
    if (error instanceof InterruptedException) {
      return new WorkflowException(ErrorKind.CANCELLED, "interrupted", error);
    }
    if (error instanceof IllegalArgumentException || error instanceof IllegalStateException) {
      return new WorkflowException(
          ErrorKind.CONFIGURATION, messageOf(error), error, false, Map.of(), List.of());
    }
    return new WorkflowException(
        ErrorKind.STEP_FAILED, messageOf(error), error, false, Map.of(), List.of());
  }

  /**
   * A one-line message for any throwable: its message, else its type.
   *
   * @param error any exception
   * @return its message, or its type's simple name when it has none
   */
  public static String messageOf(Throwable error) {
    String m = error.getMessage();
    if (m == null || m.isBlank()) {
      return error.getClass().getSimpleName();
    }
    return error instanceof WorkflowException ? m : error.getClass().getSimpleName() + ": " + m;
  }
}
