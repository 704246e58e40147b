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

  /**
   * The value under {@code key}, if any.
   *
   * @param <T> the type of the value
   * @param key the value's name and type
   * @return the value, or empty when there is none
   */
  <T> Optional<T> get(Key<T> key);

  /**
   * The value under {@code key}.
   *
   * @param <T> the type of the value
   * @param key the value's name and type
   * @return the value
   * @throws WorkflowException of kind CONFIGURATION if there is none, naming the key
   */
  <T> T require(Key<T> key);

  /**
   * Stores {@code value} under {@code key} for this and later steps; null removes it.
   *
   * @param <T> the type of the value
   * @param key the value's name and type
   * @param value the value, or null to remove it
   */
  <T> void put(Key<T> key, T value);

  /**
   * Sets a workflow output, part of the result (never pass a secret in clear).
   *
   * @param name the output's name in the result
   * @param value the output's value, JSON-compatible; null removes it
   */
  void output(String name, Object value);

  /**
   * Reports what the step is doing now ("Exporting BIOS config..."); it shows in the status.
   *
   * @param description what the step is doing, in words (never a secret)
   */
  void subTask(String description);

  /**
   * Reports the step's progress, 0 to 100.
   *
   * @param percent how far the step is, from 0 to 100
   */
  void progress(int percent);

  /**
   * Throws if the run was cancelled or the step is past its timeout. Long loops call it.
   *
   * @throws CancelledException when the run was cancelled
   * @throws StepTimeoutException when the step's timeout passed
   */
  void checkCancelled();

  /** {@return whether the run was cancelled} */
  boolean isCancelled();

  /**
   * Sleeps through the engine's {@link Sleeper}, waking early on cancellation and never past the
   * step's timeout.
   *
   * @param duration how long to sleep
   * @throws CancelledException when the run is cancelled while sleeping
   * @throws StepTimeoutException when the step's timeout passes first
   */
  void sleep(Duration duration);

  /** {@return whether this is a dry run} Only read-only steps and prechecks run in one. */
  boolean isDryRun();

  /** {@return the attempt number of this execution, starting at 1} */
  int attempt();

  /** {@return the run's id} */
  String runId();

  /** {@return the step's name} */
  String stepName();

  /** {@return the current item of a parallel group, or null outside one} */
  Object item();

  /**
   * The current item of a parallel group, cast to {@code type}.
   *
   * @param <T> the type of the items
   * @param type the class of the items
   * @return the item this parallel branch works on, or null outside a parallel group
   */
  default <T> T item(Class<T> type) {
    return type.cast(item());
  }

  /** {@return a logger whose MDC carries the run id, the workflow and the step} */
  Logger log();

  /** {@return the engine's clock: every timestamp a step takes should come from it} */
  Clock clock();

  /** {@return the time left before the step's timeout, or empty when it has none} */
  Optional<Duration> remaining();
}
