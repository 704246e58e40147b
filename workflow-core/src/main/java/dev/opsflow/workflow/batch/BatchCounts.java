package dev.opsflow.workflow.batch;

/**
 * How many items of a batch are where. Always adds up: {@code pending + running + succeeded +
 * failed + cancelled == total}. In a finished batch, {@code pending} counts the items that never
 * started. Immutable.
 *
 * @param total the batch's items
 * @param pending not started
 * @param running in flight
 * @param succeeded ended COMPLETED
 * @param failed ended failed
 * @param cancelled ended cancelled
 */
public record BatchCounts(
    int total, int pending, int running, int succeeded, int failed, int cancelled) {

  /**
   * Checks that no count is negative and that they add up to the total.
   *
   * @param total the batch's items
   * @param pending not started
   * @param running in flight
   * @param succeeded ended COMPLETED
   * @param failed ended failed
   * @param cancelled ended cancelled
   * @throws IllegalArgumentException if the counts do not add up to the total
   */
  public BatchCounts {
    if (pending < 0
        || running < 0
        || succeeded < 0
        || failed < 0
        || cancelled < 0
        || pending + running + succeeded + failed + cancelled != total) {
      throw new IllegalArgumentException(
          "batch counts must be >= 0 and add up to total "
              + total
              + ": pending "
              + pending
              + ", running "
              + running
              + ", succeeded "
              + succeeded
              + ", failed "
              + failed
              + ", cancelled "
              + cancelled);
    }
  }

  /**
   * Items whose run ended.
   *
   * @return the items that succeeded, failed or were cancelled
   */
  public int finished() {
    return succeeded + failed + cancelled;
  }
}
