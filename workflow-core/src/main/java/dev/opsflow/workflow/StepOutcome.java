package dev.opsflow.workflow;

import java.time.Instant;

/**
 * What happened to one step, in a {@link WorkflowResult}.
 *
 * @param name the step's name
 * @param status what happened
 * @param attempts how many times it ran (0 when skipped or not reached)
 * @param durationMs how long it ran, all attempts together, in milliseconds
 * @param startedAt when it first started, or null
 * @param finishedAt when it ended, or null
 * @param skipReason why it was skipped, or null
 * @param description in a dry run, what it would do; else null
 * @param error what went wrong, or null
 */
public record StepOutcome(
    String name,
    StepStatus status,
    int attempts,
    long durationMs,
    Instant startedAt,
    Instant finishedAt,
    String skipReason,
    String description,
    String error) {

  /**
   * A step not reached.
   *
   * @param name the step's name
   * @return the outcome PENDING, with no attempt, time or error
   */
  public static StepOutcome pending(String name) {
    return new StepOutcome(name, StepStatus.PENDING, 0, 0, null, null, null, null, null);
  }

  /**
   * A copy with another status.
   *
   * @param newStatus the status to give
   * @return a copy with that status
   */
  public StepOutcome withStatus(StepStatus newStatus) {
    return new StepOutcome(
        name,
        newStatus,
        attempts,
        durationMs,
        startedAt,
        finishedAt,
        skipReason,
        description,
        error);
  }

  /**
   * A copy with another error text.
   *
   * @param newError the error text, or null for none
   * @return a copy with that error text
   */
  public StepOutcome withError(String newError) {
    return new StepOutcome(
        name,
        status,
        attempts,
        durationMs,
        startedAt,
        finishedAt,
        skipReason,
        description,
        newError);
  }
}
