package dev.opsflow.workflow.batch;

import dev.opsflow.workflow.RunOptions;
import java.util.Objects;

/**
 * How a {@link Batch} runs. Immutable; adjust the defaults in one expression:
 *
 * <pre>{@code
 * BatchOptions.defaults().withBatchId("commission-rack-12").withMaxParallel(50)
 *     .withMaxFailedPercentage(20)
 * }</pre>
 *
 * @param batchId the batch's id, or null for a random one. Each item's run gets the idempotency key
 *     {@code batchId + ":" + itemKey}: running a batch again with the same id (after a crash, a
 *     stop or a cancel) re-runs only the items whose run did not complete; completed ones give
 *     their stored result. 1-100 characters of letters, digits, {@code _ . : -}.
 * @param maxParallel the most item runs in flight at once (default 10)
 * @param continueOnError whether items go on starting after an item failed (default true); off, the
 *     first failure stops the batch
 * @param maxFailedPercentage when more than this percentage of all the batch's items failed, the
 *     batch stops (0-100; default 100, never)
 * @param onStop what happens to the runs in flight when failures stop the batch (a cancel always
 *     cancels them)
 * @param runOptions the options of every item's run (rollback, timeout, dry run); its idempotency
 *     key and run id must be unset, the batch sets them. A dry run's items get no idempotency key,
 *     so a dry run never stands in for a real one.
 */
public record BatchOptions(
    String batchId,
    int maxParallel,
    boolean continueOnError,
    int maxFailedPercentage,
    OnStop onStop,
    RunOptions runOptions) {

  /** What a stop does to the item runs in flight. */
  public enum OnStop {
    /** Let them finish; their results count (default). */
    FINISH_RUNNING,
    /** Cancel them; they end CANCELLED (after their rollback, when it is on). */
    CANCEL_RUNNING
  }

  private static final BatchOptions DEFAULTS =
      new BatchOptions(null, 10, true, 100, OnStop.FINISH_RUNNING, RunOptions.defaults());

  /**
   * Checks the options.
   *
   * @param batchId the batch's id, or null for a random one. Each item's run gets the idempotency
   *     key {@code batchId + ":" + itemKey}: running a batch again with the same id (after a crash,
   *     a stop or a cancel) re-runs only the items whose run did not complete; completed ones give
   *     their stored result. 1-100 characters of letters, digits, {@code _ . : -}.
   * @param maxParallel the most item runs in flight at once (default 10)
   * @param continueOnError whether items go on starting after an item failed (default true); off,
   *     the first failure stops the batch
   * @param maxFailedPercentage when more than this percentage of all the batch's items failed, the
   *     batch stops (0-100; default 100, never)
   * @param onStop what happens to the runs in flight when failures stop the batch (a cancel always
   *     cancels them)
   * @param runOptions the options of every item's run (rollback, timeout, dry run); its idempotency
   *     key and run id must be unset, the batch sets them. A dry run's items get no idempotency
   *     key, so a dry run never stands in for a real one.
   * @throws IllegalArgumentException naming the bad option
   */
  public BatchOptions {
    if (batchId != null && !batchId.matches("[A-Za-z0-9_.:\\-]{1,100}")) {
      throw new IllegalArgumentException(
          "batchId '" + batchId + "' must be 1-100 characters of letters, digits, _ . : -");
    }
    if (maxParallel < 1) {
      throw new IllegalArgumentException("maxParallel must be >= 1, was " + maxParallel);
    }
    if (maxFailedPercentage < 0 || maxFailedPercentage > 100) {
      throw new IllegalArgumentException(
          "maxFailedPercentage must be between 0 and 100, was " + maxFailedPercentage);
    }
    Objects.requireNonNull(onStop, "onStop must not be null");
    Objects.requireNonNull(runOptions, "runOptions must not be null");
    if (runOptions.idempotencyKey() != null || runOptions.runId() != null) {
      throw new IllegalArgumentException(
          "runOptions must leave idempotencyKey and runId unset: "
              + "the batch derives each item's key from the batch id and the item key");
    }
  }

  /**
   * Random id, 10 in parallel, continue on error, no failure threshold, let runs finish.
   *
   * @return the default options
   */
  public static BatchOptions defaults() {
    return DEFAULTS;
  }

  /**
   * A copy with this batch id (see {@link #batchId()}).
   *
   * @param id the batch's id, or null for a random one
   * @return a copy with that id
   */
  public BatchOptions withBatchId(String id) {
    return new BatchOptions(
        id, maxParallel, continueOnError, maxFailedPercentage, onStop, runOptions);
  }

  /**
   * A copy with at most {@code n} item runs in flight.
   *
   * @param n the most item runs in flight, at least 1
   * @return a copy with that limit
   */
  public BatchOptions withMaxParallel(int n) {
    return new BatchOptions(batchId, n, continueOnError, maxFailedPercentage, onStop, runOptions);
  }

  /**
   * A copy that goes on (or stops) after an item failed.
   *
   * @param goOn true to start the remaining items after a failure
   * @return a copy with that choice
   */
  public BatchOptions withContinueOnError(boolean goOn) {
    return new BatchOptions(batchId, maxParallel, goOn, maxFailedPercentage, onStop, runOptions);
  }

  /**
   * A copy that stops when more than {@code percent}% of the items failed.
   *
   * @param percent the failed share, 0 to 100, past which the batch stops
   * @return a copy with that threshold
   */
  public BatchOptions withMaxFailedPercentage(int percent) {
    return new BatchOptions(batchId, maxParallel, continueOnError, percent, onStop, runOptions);
  }

  /**
   * A copy whose stop does {@code what} to the runs in flight.
   *
   * @param what whether runs in flight are cancelled or finish
   * @return a copy with that choice
   */
  public BatchOptions withOnStop(OnStop what) {
    return new BatchOptions(
        batchId, maxParallel, continueOnError, maxFailedPercentage, what, runOptions);
  }

  /**
   * A copy whose item runs use {@code options}.
   *
   * @param options the idempotency, dry run, rollback and time limit of each item's run
   * @return a copy with those run options
   */
  public BatchOptions withRunOptions(RunOptions options) {
    return new BatchOptions(
        batchId, maxParallel, continueOnError, maxFailedPercentage, onStop, options);
  }
}
