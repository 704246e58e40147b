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

  /** The step ended in {@code expected}. */
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

  /** The step ran and completed. */
  public StepAssert wasCompleted() {
    return hasStatus(StepStatus.COMPLETED);
  }

  /** The step was skipped: its precheck found the work done, or its condition was false. */
  public StepAssert wasSkipped() {
    return hasStatus(StepStatus.SKIPPED);
  }

  /** The step was skipped with a reason containing {@code text}. */
  public StepAssert wasSkippedBecause(String text) {
    wasSkipped();
    if (actual.skipReason() == null || !actual.skipReason().contains(text)) {
      failWithMessage(
          "Expected step '%s' to be skipped because of '%s' but the reason was '%s'",
          actual.name(), text, actual.skipReason());
    }
    return this;
  }

  /** The step failed for good. */
  public StepAssert failed() {
    return hasStatus(StepStatus.FAILED);
  }

  /** The step went past its timeout. */
  public StepAssert timedOut() {
    return hasStatus(StepStatus.TIMEOUT);
  }

  /** The step completed, then its compensation undid it. */
  public StepAssert wasCompensated() {
    return hasStatus(StepStatus.COMPENSATED);
  }

  /** The step was not reached. */
  public StepAssert wasNotReached() {
    return hasStatus(StepStatus.PENDING);
  }

  /** The step took exactly {@code expected} attempts. */
  public StepAssert tookAttempts(int expected) {
    isNotNull();
    if (actual.attempts() != expected) {
      failWithMessage(
          "Expected step '%s' to take %d attempt(s) but it took %d",
          actual.name(), expected, actual.attempts());
    }
    return this;
  }

  /** Assertions on another step of the same result. */
  public StepAssert step(String name) {
    return result.step(name);
  }

  /** Back to the result's assertions. */
  public WorkflowResultAssert and() {
    return result;
  }
}
