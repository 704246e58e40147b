package dev.opsflow.workflow;

/**
 * The state of a run. PENDING, RUNNING, COMPLETED, FAILED and CANCELLED are the seeds' state
 * machine; a finished run says more precisely PARTIAL (a failure after steps that completed and
 * were kept, rollback off) or ROLLED_BACK (compensations undid the completed steps).
 */
public enum RunState {
  /** Created, not started. */
  PENDING,
  /** Executing, or waiting to be resumed after its owner died. */
  RUNNING,
  /** Every step completed or was skipped. */
  COMPLETED,
  /** A step failed and nothing was kept, or a compensation failed. */
  FAILED,
  /** A step failed after others completed; rollback was off, so their work was kept. */
  PARTIAL,
  /** A step failed or the run was cancelled, and every compensation ran. */
  ROLLED_BACK,
  /** The run was cancelled. */
  CANCELLED;

  /** {@return whether the run has ended} */
  public boolean isFinished() {
    return this != PENDING && this != RUNNING;
  }

  /** {@return whether a new run may take over this run's idempotency key} */
  public boolean allowsRetryOfKey() {
    return this == FAILED || this == PARTIAL || this == ROLLED_BACK || this == CANCELLED;
  }
}
