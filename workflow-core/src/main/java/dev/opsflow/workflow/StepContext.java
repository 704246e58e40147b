package dev.opsflow.workflow;

import dev.opsflow.workflow.spi.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * What a running step sees: the run's typed context, progress reporting, cancellation, time.
 *
 * <p>One context per step execution; steps of a parallel group each get their own, which sees the
 * run's context plus the group's current item. Safe to use from the step's thread and from threads
 * the step starts, for the step's duration.
 */
public interface StepContext {

  /** The value under {@code key}, if any. */
  <T> Optional<T> get(Key<T> key);

  /**
   * The value under {@code key}.
   *
   * @throws WorkflowException of kind CONFIGURATION if there is none, naming the key
   */
  <T> T require(Key<T> key);

  /** Stores {@code value} under {@code key} for this and later steps; null removes it. */
  <T> void put(Key<T> key, T value);

  /** Sets a workflow output, part of the result (never pass a secret in clear). */
  void output(String name, Object value);

  /** Reports what the step is doing now ("Exporting BIOS config..."); it shows in the status. */
  void subTask(String description);

  /** Reports the step's progress, 0 to 100. */
  void progress(int percent);

  /**
   * Throws if the run was cancelled or the step is past its timeout. Long loops call it.
   *
   * @throws CancelledException when the run was cancelled
   * @throws StepTimeoutException when the step's timeout passed
   */
  void checkCancelled();

  /** Whether the run was cancelled. */
  boolean isCancelled();

  /**
   * Sleeps through the engine's {@link Sleeper}, waking early on cancellation and never past the
   * step's timeout.
   *
   * @throws CancelledException when the run is cancelled while sleeping
   * @throws StepTimeoutException when the step's timeout passes first
   */
  void sleep(Duration duration);

  /** Whether this is a dry run. Only read-only steps and prechecks run in one. */
  boolean isDryRun();

  /** The attempt number of this execution, starting at 1. */
  int attempt();

  /** The run's id. */
  String runId();

  /** The step's name. */
  String stepName();

  /** The current item of a parallel group, or null outside one. */
  Object item();

  /** The current item of a parallel group, cast to {@code type}. */
  default <T> T item(Class<T> type) {
    return type.cast(item());
  }

  /** A logger whose MDC carries the run id, the workflow and the step. */
  Logger log();

  /** The engine's clock: every timestamp a step takes should come from it. */
  Clock clock();

  /** The time left before the step's timeout, or empty when it has none. */
  Optional<Duration> remaining();
}
