package dev.opsflow.workflow.test;

import dev.opsflow.workflow.StepOutcome;
import dev.opsflow.workflow.StepStatus;
import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on one step of a result; {@link #step(String)} moves to another step of the
 * same result and {@link #and()} back to the result.
 */
public final class StepAssert extends AbstractAssert<StepAssert, StepOutcome> {
  private final WorkflowResultAssert result;

  StepAssert(WorkflowResultAssert result, StepOutcome actual) {
    super(actual, StepAssert.class);
    this.result = result;
  }

  /**
   * The step ended in {@code expected}.
   *
   * @param expected the status the step must have ended in
   * @return this assertion, to chain more
   */
  public StepAssert hasStatus(StepStatus expected) {
    isNotNull();
    if (actual.status() != expected) {
      failWithMessage(
          "Expected step '%s' to be %s but it was %s%s",
          actual.name(),
          expected,
          actual.status(),
          actual.error() == null ? "" : " (" + actual.error() + ")");
    }
    return this;
  }

  /**
   * The step ran and completed.
   *
   * @return this assertion, to chain more
   */
  public StepAssert wasCompleted() {
    return hasStatus(StepStatus.COMPLETED);
  }

  /**
   * The step was skipped: its precheck found the work done, or its condition was false.
   *
   * @return this assertion, to chain more
   */
  public StepAssert wasSkipped() {
    return hasStatus(StepStatus.SKIPPED);
  }

  /**
   * The step was skipped with a reason containing {@code text}.
   *
   * @param text what the reason must contain
   * @return this assertion, to chain more
   */
  public StepAssert wasSkippedBecause(String text) {
    wasSkipped();
    if (actual.skipReason() == null || !actual.skipReason().contains(text)) {
      failWithMessage(
          "Expected step '%s' to be skipped because of '%s' but the reason was '%s'",
          actual.name(), text, actual.skipReason());
    }
    return this;
  }

  /**
   * The step failed for good.
   *
   * @return this assertion, to chain more
   */
  public StepAssert failed() {
    return hasStatus(StepStatus.FAILED);
  }

  /**
   * The step went past its timeout.
   *
   * @return this assertion, to chain more
   */
  public StepAssert timedOut() {
    return hasStatus(StepStatus.TIMEOUT);
  }

  /**
   * The step completed, then its compensation undid it.
   *
   * @return this assertion, to chain more
   */
  public StepAssert wasCompensated() {
    return hasStatus(StepStatus.COMPENSATED);
  }

  /**
   * The step was not reached.
   *
   * @return this assertion, to chain more
   */
  public StepAssert wasNotReached() {
    return hasStatus(StepStatus.PENDING);
  }

  /**
   * The step took exactly {@code expected} attempts.
   *
   * @param expected how many attempts the step must have taken
   * @return this assertion, to chain more
   */
  public StepAssert tookAttempts(int expected) {
    isNotNull();
    if (actual.attempts() != expected) {
      failWithMessage(
          "Expected step '%s' to take %d attempt(s) but it took %d",
          actual.name(), expected, actual.attempts());
    }
    return this;
  }

  /**
   * Assertions on another step of the same result.
   *
   * @param name the other step's name
   * @return assertions on that step
   */
  public StepAssert step(String name) {
    return result.step(name);
  }

  /**
   * Back to the result's assertions.
   *
   * @return the assertions on the result this step belongs to
   */
  public WorkflowResultAssert and() {
    return result;
  }
}
