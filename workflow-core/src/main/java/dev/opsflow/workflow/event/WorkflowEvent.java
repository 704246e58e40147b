package dev.opsflow.workflow.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.RunState;
import java.time.Instant;

/**
 * Something that happened in a run. Every event carries the run id, a sequence number (1, 2, 3...
 * within the run, in the order events happened) and a timestamp from the engine's clock. Events are
 * immutable, JSON-serialisable with a {@code type} property, and never hold a secret.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = WorkflowEvent.RunStarted.class, name = "run-started"),
  @JsonSubTypes.Type(value = WorkflowEvent.RunFinished.class, name = "run-finished"),
  @JsonSubTypes.Type(value = WorkflowEvent.StepStarted.class, name = "step-started"),
  @JsonSubTypes.Type(value = WorkflowEvent.StepProgress.class, name = "step-progress"),
  @JsonSubTypes.Type(value = WorkflowEvent.StepRetrying.class, name = "step-retrying"),
  @JsonSubTypes.Type(value = WorkflowEvent.StepSucceeded.class, name = "step-succeeded"),
  @JsonSubTypes.Type(value = WorkflowEvent.StepSkipped.class, name = "step-skipped"),
  @JsonSubTypes.Type(value = WorkflowEvent.StepFailed.class, name = "step-failed"),
  @JsonSubTypes.Type(value = WorkflowEvent.Compensation.class, name = "compensation"),
})
public sealed interface WorkflowEvent {

  /** The run the event belongs to. */
  String runId();

  /** The event's place in its run's journal, from 1. */
  long sequence();

  /** When it happened, by the engine's clock. */
  Instant timestamp();

  /** A run started (or resumed). */
  record RunStarted(
      String runId,
      long sequence,
      Instant timestamp,
      String workflow,
      int version,
      int totalSteps,
      boolean dryRun,
      boolean resumed)
      implements WorkflowEvent {}

  /** A run ended. */
  record RunFinished(String runId, long sequence, Instant timestamp, RunState state, String message)
      implements WorkflowEvent {}

  /** A step started an attempt. */
  record StepStarted(String runId, long sequence, Instant timestamp, String step, int attempt)
      implements WorkflowEvent {}

  /** A step reported progress or a sub-task. */
  record StepProgress(
      String runId, long sequence, Instant timestamp, String step, int percent, String subTask)
      implements WorkflowEvent {}

  /**
   * An attempt failed with a retryable error; the next starts after {@code delayMs}.
   *
   * @param attempt the attempt that failed, from 1
   */
  record StepRetrying(
      String runId,
      long sequence,
      Instant timestamp,
      String step,
      int attempt,
      long delayMs,
      ErrorKind errorKind,
      String cause)
      implements WorkflowEvent {}

  /** A step completed. */
  record StepSucceeded(
      String runId, long sequence, Instant timestamp, String step, int attempts, long durationMs)
      implements WorkflowEvent {}

  /** A step was skipped: its precheck found the work done, or its condition was false. */
  record StepSkipped(String runId, long sequence, Instant timestamp, String step, String reason)
      implements WorkflowEvent {}

  /** A step failed for good (after its last attempt, a timeout or a cancellation). */
  record StepFailed(
      String runId,
      long sequence,
      Instant timestamp,
      String step,
      int attempts,
      ErrorKind errorKind,
      String message)
      implements WorkflowEvent {}

  /** A compensation ran (rollback of a completed step). */
  record Compensation(
      String runId,
      long sequence,
      Instant timestamp,
      String step,
      boolean succeeded,
      String message)
      implements WorkflowEvent {}
}
