package dev.opsflow.workflow;

import dev.failsafe.RetryPolicy;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * How the engine runs one step: its retry policy, its timeout and the condition under which it
 * runs. Immutable; adjust a default in one expression: {@code
 * StepOptions.defaults().withRetry(Retries.standard()).withTimeout(Duration.ofMinutes(5))}.
 *
 * @param retry the Failsafe retry policy; {@link Retries#none()} for one attempt
 * @param timeout the limit for one attempt, or null for none; past it the step is interrupted and
 *     the attempt fails as TIMEOUT
 * @param condition the step runs only when this holds, else it is SKIPPED; null means always
 */
public record StepOptions(
    RetryPolicy<Object> retry, Duration timeout, Predicate<StepContext> condition) {

  private static final StepOptions DEFAULTS = new StepOptions(null, null, null);

  /**
   * Checks the timeout.
   *
   * @param retry the Failsafe retry policy; {@link Retries#none()} for one attempt
   * @param timeout the limit for one attempt, or null for none; past it the step is interrupted and
   *     the attempt fails as TIMEOUT
   * @param condition the step runs only when this holds, else it is SKIPPED; null means always
   * @throws IllegalArgumentException if the timeout is zero or negative
   */
  public StepOptions {
    if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
      throw new IllegalArgumentException("timeout must be > 0, was " + timeout);
    }
  }

  /** {@return one attempt, no timeout, always run} */
  public static StepOptions defaults() {
    return DEFAULTS;
  }

  /**
   * A copy with this retry policy.
   *
   * @param policy the Failsafe retry policy for the step's attempts (see {@link Retries})
   * @return a copy with that policy
   */
  public StepOptions withRetry(RetryPolicy<Object> policy) {
    return new StepOptions(
        Objects.requireNonNull(policy, "retry must not be null"), timeout, condition);
  }

  /**
   * A copy with this timeout per attempt.
   *
   * @param perAttempt the limit of each attempt, or null for none
   * @return a copy with that timeout
   */
  public StepOptions withTimeout(Duration perAttempt) {
    return new StepOptions(
        retry, Objects.requireNonNull(perAttempt, "timeout must not be null"), condition);
  }

  /**
   * A copy that runs the step only when {@code when} holds.
   *
   * @param when true when the step should run; read from the run's context as the step is reached
   * @return a copy with that condition
   */
  public StepOptions withCondition(Predicate<StepContext> when) {
    return new StepOptions(
        retry, timeout, Objects.requireNonNull(when, "condition must not be null"));
  }

  /** {@return a copy without the condition (items and compensations run unconditionally)} */
  public StepOptions withoutCondition() {
    return condition == null ? this : new StepOptions(retry, timeout, null);
  }
}
