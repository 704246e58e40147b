package dev.opsflow.workflow.batch;

/** The state of a batch. */
public enum BatchState {
  /** Items are starting and running. */
  RUNNING,
  /** Stopped by failures or cancelled: nothing new starts; waiting for the runs in flight. */
  STOPPING,
  /** Every item succeeded. */
  COMPLETED,
  /** Every item ran; some failed or were cancelled, within the failure threshold. */
  COMPLETED_WITH_FAILURES,
  /** Failures stopped the batch (threshold exceeded, or a failure with continueOnError off). */
  STOPPED,
  /** The batch was cancelled. */
  CANCELLED;

  /** {@return whether the batch has ended} */
  public boolean isFinished() {
    return this != RUNNING && this != STOPPING;
  }
}
