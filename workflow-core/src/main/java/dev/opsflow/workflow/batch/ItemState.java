package dev.opsflow.workflow.batch;

/** Where one item of a batch is. */
public enum ItemState {
  /** Not started (in a finished batch: never started, because the batch stopped first). */
  PENDING,
  /** Its run is in flight. */
  RUNNING,
  /** Its run COMPLETED (now, or in an earlier attempt of the batch). */
  SUCCEEDED,
  /** Its run ended FAILED, PARTIAL or ROLLED_BACK, or could not start. */
  FAILED,
  /** Its run was cancelled. */
  CANCELLED
}
