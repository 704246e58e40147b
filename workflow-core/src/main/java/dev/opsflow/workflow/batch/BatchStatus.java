package dev.opsflow.workflow.batch;

import java.time.Instant;
import java.util.List;

/**
 * A live snapshot of a batch, for progress displays. The counts always add up: {@code pending +
 * running + succeeded + failed + cancelled == total}. Immutable.
 *
 * @param batchId the batch's id
 * @param workflow the workflow each item runs
 * @param state the batch's state
 * @param total the batch's items
 * @param pending items not started
 * @param running items in flight
 * @param succeeded items whose run completed
 * @param failed items whose run failed
 * @param cancelled items whose run was cancelled
 * @param percent overall progress, 0 to 100: finished items, plus the progress of the runs in
 *     flight
 * @param inFlight each running item with its current step
 * @param startedAt when the batch started
 * @param updatedAt when this snapshot was taken
 */
public record BatchStatus(
    String batchId,
    String workflow,
    BatchState state,
    int total,
    int pending,
    int running,
    int succeeded,
    int failed,
    int cancelled,
    int percent,
    List<InFlight> inFlight,
    Instant startedAt,
    Instant updatedAt) {

  /**
   * Copies the items in flight (null becomes empty), so the snapshot is immutable.
   *
   * @param batchId the batch's id
   * @param workflow the workflow each item runs
   * @param state the batch's state
   * @param total the batch's items
   * @param pending items not started
   * @param running items in flight
   * @param succeeded items whose run completed
   * @param failed items whose run failed
   * @param cancelled items whose run was cancelled
   * @param percent overall progress, 0 to 100: finished items, plus the progress of the runs in
   *     flight
   * @param inFlight each running item with its current step
   * @param startedAt when the batch started
   * @param updatedAt when this snapshot was taken
   */
  public BatchStatus {
    inFlight = inFlight == null ? List.of() : List.copyOf(inFlight);
  }

  /**
   * A running item.
   *
   * @param item the item's key
   * @param runId its run's id
   * @param currentStep the step its run is in, or null between steps
   * @param currentSubTask what that step is doing, or null
   * @param percent the run's progress, 0 to 100
   */
  public record InFlight(
      String item, String runId, String currentStep, String currentSubTask, int percent) {}

  /** {@return the counts of this snapshot} */
  public BatchCounts counts() {
    return new BatchCounts(total, pending, running, succeeded, failed, cancelled);
  }
}
