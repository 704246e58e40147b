package dev.opsflow.workflow;

/** What happened to one step in a run. */
public enum StepStatus {
  /** Not reached. */
  PENDING,
  /** Executing. */
  RUNNING,
  /** Ran and succeeded. */
  COMPLETED,
  /** Not run: its precheck found the work done, or its condition was false. */
  SKIPPED,
  /** Failed after its last attempt. */
  FAILED,
  /** Went past its timeout and was interrupted. */
  TIMEOUT,
  /** Stopped by the run's cancellation. */
  CANCELLED,
  /** Completed, then undone by its compensation. */
  COMPENSATED,
  /** Completed, and its compensation failed: its work is still there. */
  COMPENSATION_FAILED,
  /** A dry run: what the step would do is in its description. */
  DRY_RUN;

  /** {@return whether a resumed run must not execute the step again} */
  public boolean isDone() {
    return this == COMPLETED || this == SKIPPED;
  }
}
