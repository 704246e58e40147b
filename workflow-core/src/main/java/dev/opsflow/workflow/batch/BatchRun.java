package dev.opsflow.workflow.batch;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A handle on a batch started with {@link Batch#start}. Thread-safe: any thread may watch, await or
 * cancel it.
 */
public interface BatchRun {

  /** {@return the batch's id} */
  String batchId();

  /** {@return a live snapshot: counts, percent, and each running item's current step} */
  BatchStatus status();

  /**
   * Waits for the batch to end.
   *
   * @param timeout how long to wait at most
   * @return how the batch ended, item by item
   * @throws dev.opsflow.workflow.StepTimeoutException if it has not ended within {@code timeout};
   *     the batch goes on
   * @throws dev.opsflow.workflow.CancelledException if the waiting thread is interrupted
   */
  BatchResult await(Duration timeout);

  /**
   * Waits for the batch to end, however long it takes.
   *
   * @return how the batch ended, item by item
   */
  BatchResult await();

  /**
   * Cancels the batch: nothing new starts, and every run in flight is cancelled. The batch ends
   * CANCELLED once they have stopped; run it again with the same id to finish the rest.
   *
   * @return whether the batch was still going
   */
  boolean cancel();

  /** {@return whether the batch ended} */
  boolean isDone();

  /** {@return the result as a future, for composing} */
  CompletableFuture<BatchResult> future();
}
