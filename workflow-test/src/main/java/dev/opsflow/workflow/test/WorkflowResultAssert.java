package dev.opsflow.workflow.test;

import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.StepOutcome;
import dev.opsflow.workflow.WorkflowResult;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on a {@link WorkflowResult}; failures print the run's id, status, message and
 * steps. Start from {@link WorkflowAssertions#assertThat(WorkflowResult)}.
 */
public final class WorkflowResultAssert
    extends AbstractAssert<WorkflowResultAssert, WorkflowResult> {

  WorkflowResultAssert(WorkflowResult actual) {
    super(actual, WorkflowResultAssert.class);
  }

  /**
   * The run ended in {@code expected}.
   *
   * @param expected the state the run must have ended in
   * @return this assertion, to chain more
   */
  public WorkflowResultAssert hasStatus(RunState expected) {
    isNotNull();
    if (actual.status() != expected) {
      failWithMessage(
          "Expected run %s of '%s' to end %s but it ended %s: %s%nsteps: %s",
          actual.runId(), actual.workflow(), expected, actual.status(), actual.message(), steps());
    }
    return this;
  }

  /**
   * The run ended COMPLETED.
   *
   * @return this assertion, to chain more
   */
  public WorkflowResultAssert isCompleted() {
    return hasStatus(RunState.COMPLETED);
  }

  /**
   * The run ended FAILED.
   *
   * @return this assertion, to chain more
   */
  public WorkflowResultAssert isFailed() {
    return hasStatus(RunState.FAILED);
  }

  /**
   * The run ended PARTIAL: some steps completed, then one failed, with no rollback.
   *
   * @return this assertion, to chain more
   */
  public WorkflowResultAssert isPartial() {
    return hasStatus(RunState.PARTIAL);
  }

  /**
   * The run ended ROLLED_BACK: every completed step's compensation ran and succeeded.
   *
   * @return this assertion, to chain more
   */
  public WorkflowResultAssert isRolledBack() {
    return hasStatus(RunState.ROLLED_BACK);
  }

  /**
   * The run ended CANCELLED.
   *
   * @return this assertion, to chain more
   */
  public WorkflowResultAssert isCancelled() {
    return hasStatus(RunState.CANCELLED);
  }

  /**
   * The run was a dry run.
   *
   * @return this assertion, to chain more
   */
  public WorkflowResultAssert isDryRun() {
    isNotNull();
    if (!actual.dryRun()) {
      failWithMessage("Expected run %s to be a dry run but it was not", actual.runId());
    }
    return this;
  }

  /**
   * The run failed with an error of {@code kind}.
   *
   * @param kind the kind of error expected
   * @return this assertion, to chain more
   */
  public WorkflowResultAssert failedWith(ErrorKind kind) {
    isNotNull();
    if (actual.error() == null || actual.error().type() != kind) {
      failWithMessage(
          "Expected run %s to fail with a %s error but its error was %s (status %s)",
          actual.runId(), kind, actual.error(), actual.status());
    }
    return this;
  }

  /**
   * The run's one-line message contains {@code text}.
   *
   * @param text what the message must contain
   * @return this assertion, to chain more
   */
  public WorkflowResultAssert hasMessageContaining(String text) {
    isNotNull();
    if (actual.message() == null || !actual.message().contains(text)) {
      failWithMessage(
          "Expected run %s's message to contain '%s' but it was '%s'",
          actual.runId(), text, actual.message());
    }
    return this;
  }

  /**
   * The run's output {@code name} equals {@code expected}.
   *
   * @param name the output's name
   * @param expected the value it must equal
   * @return this assertion, to chain more
   */
  public WorkflowResultAssert hasOutput(String name, Object expected) {
    isNotNull();
    if (!actual.outputs().containsKey(name)
        || !Objects.equals(actual.outputs().get(name), expected)) {
      failWithMessage(
          "Expected run %s's output '%s' to be <%s> but the outputs were %s",
          actual.runId(), name, expected, actual.outputs());
    }
    return this;
  }

  /**
   * Assertions on the step named {@code name} ({@code parent/child} for a sub-workflow's step).
   *
   * @param name the step's name
   * @return assertions on that step
   * @throws AssertionError if the run has no such step
   */
  public StepAssert step(String name) {
    isNotNull();
    StepOutcome step = actual.step(name).orElse(null);
    if (step == null) {
      failWithMessage(
          "Expected run %s to have a step '%s' but its steps were %s",
          actual.runId(), name, actual.steps().stream().map(StepOutcome::name).toList());
    }
    return new StepAssert(this, step);
  }

  private String steps() {
    return actual.steps().stream().map(s -> s.name() + "=" + s.status()).toList().toString();
  }
}
