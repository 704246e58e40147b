package dev.opsflow.workflow;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A handle on a run started with {@link WorkflowEngine#start}. Thread-safe: any thread may watch,
 * await or cancel it. Several handles may share one run (duplicates of an idempotency key).
 */
public interface WorkflowRun {

  /** {@return the run's id} */
  String runId();

  /** {@return a live snapshot of the run} */
  RunStatus status();

  /**
   * Waits for the result.
   *
   * @param timeout how long to wait at most
   * @return how the run ended
   * @throws StepTimeoutException if the run has not ended within {@code timeout}; the run goes on
   * @throws CancelledException if the waiting thread is interrupted
   */
  WorkflowResult await(Duration timeout);

  /**
   * Waits for the result, however long the run takes.
   *
   * @return how the run ended
   */
  WorkflowResult await();

  /**
   * Asks the run to stop: the current step is interrupted and the run ends CANCELLED (after its
   * compensations, when rollback is on). Does nothing to a finished run.
   *
   * @return whether the request reached an unfinished run
   */
  boolean cancel();

  /** {@return the result, if the run ended} */
  Optional<WorkflowResult> result();

  /** {@return whether the run ended} */
  boolean isDone();

  /** {@return the result as a future, for composing} */
  CompletableFuture<WorkflowResult> future();
}
