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
  @JsonSubTypes.Type(value = WorkflowEvent.AttemptAbandoned.class, name = "attempt-abandoned"),
  @JsonSubTypes.Type(
      value = WorkflowEvent.AbandonedAttemptEnded.class,
      name = "abandoned-attempt-ended"),
  @JsonSubTypes.Type(
      value = WorkflowEvent.CircuitStateChanged.class,
      name = "circuit-state-changed"),
})
public sealed interface WorkflowEvent {

  /** {@return the run the event belongs to} */
  String runId();

  /** {@return the event's place in its run's journal, from 1} */
  long sequence();

  /** {@return when it happened, by the engine's clock} */
  Instant timestamp();

  /**
   * A run started (or resumed).
   *
   * @param runId the run the event belongs to
   * @param sequence the event's place in its run's journal, from 1
   * @param timestamp when it happened, by the engine's clock
   * @param workflow the workflow's name
   * @param version the workflow's version
   * @param totalSteps how many steps the workflow has
   * @param dryRun whether it is a dry run
   * @param resumed whether it resumes a stored run
   */
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

  /**
   * A run ended.
   *
   * @param runId the run the event belongs to
   * @param sequence the event's place in its run's journal, from 1
   * @param timestamp when it happened, by the engine's clock
   * @param state how the run ended
   * @param message one line for a person (never a secret)
   */
  record RunFinished(String runId, long sequence, Instant timestamp, RunState state, String message)
      implements WorkflowEvent {}

  /**
   * A step started an attempt.
   *
   * @param runId the run the event belongs to
   * @param sequence the event's place in its run's journal, from 1
   * @param timestamp when it happened, by the engine's clock
   * @param step the step's name ({@code parent/child} in a sub-workflow, {@code group[i]} in a
   *     parallel group)
   * @param attempt the attempt, from 1
   */
  record StepStarted(String runId, long sequence, Instant timestamp, String step, int attempt)
      implements WorkflowEvent {}

  /**
   * A step reported progress or a sub-task.
   *
   * @param runId the run the event belongs to
   * @param sequence the event's place in its run's journal, from 1
   * @param timestamp when it happened, by the engine's clock
   * @param step the step's name ({@code parent/child} in a sub-workflow, {@code group[i]} in a
   *     parallel group)
   * @param percent how far the step is, from 0 to 100
   * @param subTask what the step is doing now, or null
   */
  record StepProgress(
      String runId, long sequence, Instant timestamp, String step, int percent, String subTask)
      implements WorkflowEvent {}

  /**
   * An attempt failed with a retryable error; the next starts after {@code delayMs}.
   *
   * @param runId the run the event belongs to
   * @param sequence the event's place in its run's journal, from 1
   * @param timestamp when it happened, by the engine's clock
   * @param step the step's name ({@code parent/child} in a sub-workflow, {@code group[i]} in a
   *     parallel group)
   * @param attempt the attempt that failed, from 1
   * @param delayMs the wait before the next attempt, in milliseconds
   * @param errorKind the failure's kind
   * @param cause the failure's message
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

  /**
   * A step completed.
   *
   * @param runId the run the event belongs to
   * @param sequence the event's place in its run's journal, from 1
   * @param timestamp when it happened, by the engine's clock
   * @param step the step's name ({@code parent/child} in a sub-workflow, {@code group[i]} in a
   *     parallel group)
   * @param attempts how many attempts the step took
   * @param durationMs how long the step took over all its attempts, in milliseconds
   */
  record StepSucceeded(
      String runId, long sequence, Instant timestamp, String step, int attempts, long durationMs)
      implements WorkflowEvent {}

  /**
   * A step was skipped: its precheck found the work done, or its condition was false.
   *
   * @param runId the run the event belongs to
   * @param sequence the event's place in its run's journal, from 1
   * @param timestamp when it happened, by the engine's clock
   * @param step the step's name ({@code parent/child} in a sub-workflow, {@code group[i]} in a
   *     parallel group)
   * @param reason why it was skipped
   */
  record StepSkipped(String runId, long sequence, Instant timestamp, String step, String reason)
      implements WorkflowEvent {}

  /**
   * A step failed for good (after its last attempt, a timeout or a cancellation).
   *
   * @param runId the run the event belongs to
   * @param sequence the event's place in its run's journal, from 1
   * @param timestamp when it happened, by the engine's clock
   * @param step the step's name ({@code parent/child} in a sub-workflow, {@code group[i]} in a
   *     parallel group)
   * @param attempts how many attempts the step took
   * @param errorKind the failure's kind
   * @param message one line for a person (never a secret)
   */
  record StepFailed(
      String runId,
      long sequence,
      Instant timestamp,
      String step,
      int attempts,
      ErrorKind errorKind,
      String message)
      implements WorkflowEvent {}

  /**
   * A compensation ran (rollback of a completed step).
   *
   * @param runId the run the event belongs to
   * @param sequence the event's place in its run's journal, from 1
   * @param timestamp when it happened, by the engine's clock
   * @param step the step's name ({@code parent/child} in a sub-workflow, {@code group[i]} in a
   *     parallel group)
   * @param succeeded whether the compensation succeeded
   * @param message one line for a person (never a secret)
   */
  record Compensation(
      String runId,
      long sequence,
      Instant timestamp,
      String step,
      boolean succeeded,
      String message)
      implements WorkflowEvent {}

  /**
   * An attempt did not stop within its grace after its timeout or a cancel: the engine stopped
   * waiting for it and its run went on (a retry, the next step, or its end). Its thread still runs;
   * its writes to the run are refused and its result will be ignored.
   *
   * @param runId the run the event belongs to
   * @param sequence the event's place in its run's journal, from 1
   * @param timestamp when it happened, by the engine's clock
   * @param step the step's name ({@code parent/child} in a sub-workflow, {@code group[i]} in a
   *     parallel group)
   * @param attempt the attempt, from 1
   * @param reason {@code timeout} (the step's or the run's) or {@code cancel}
   * @param overrunMs how long after the timeout or cancel it was abandoned (the grace)
   */
  record AttemptAbandoned(
      String runId,
      long sequence,
      Instant timestamp,
      String step,
      int attempt,
      String reason,
      long overrunMs)
      implements WorkflowEvent {}

  /**
   * An abandoned attempt's thread finally returned or threw. Delivered to listeners; kept in the
   * journal only if its run has not ended yet.
   *
   * @param runId the run the event belongs to
   * @param sequence the event's place in its run's journal, from 1
   * @param timestamp when it happened, by the engine's clock
   * @param step the step's name ({@code parent/child} in a sub-workflow, {@code group[i]} in a
   *     parallel group)
   * @param attempt the attempt, from 1
   * @param overrunMs how long after its timeout or cancel it ended
   * @param how {@code returned}, or {@code threw} and the exception's class
   */
  record AbandonedAttemptEnded(
      String runId,
      long sequence,
      Instant timestamp,
      String step,
      int attempt,
      long overrunMs,
      String how)
      implements WorkflowEvent {}

  /**
   * The circuit breaker of a remote endpoint changed state during a request of this run's step
   * ({@link dev.opsflow.workflow.http.EndpointResilience}). A breaker is shared by every run that
   * talks to the endpoint; the change is reported in the run whose request caused it (the request
   * that opened it, the first request let through to probe it, the probe that closed it), and
   * logged.
   *
   * @param runId the run the event belongs to
   * @param sequence the event's place in its run's journal, from 1
   * @param timestamp when it happened, by the engine's clock
   * @param step the step's name ({@code parent/child} in a sub-workflow, {@code group[i]} in a
   *     parallel group)
   * @param attempt the step's attempt that sent the request, from 1
   * @param endpoint {@code scheme://host:port}
   * @param state {@code OPEN}, {@code HALF_OPEN} or {@code CLOSED}
   * @param openForMs when it opened: how long requests to the endpoint fail at once; else 0
   */
  record CircuitStateChanged(
      String runId,
      long sequence,
      Instant timestamp,
      String step,
      int attempt,
      String endpoint,
      String state,
      long openForMs)
      implements WorkflowEvent {}
}
