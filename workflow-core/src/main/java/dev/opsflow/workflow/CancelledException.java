package dev.opsflow.workflow;

/** The run was cancelled. Thrown by {@link StepContext#checkCancelled()} and by waits. */
public class CancelledException extends WorkflowException {
  private static final long serialVersionUID = 1L;

  /** A cancellation with a message saying where it was noticed. */
  public CancelledException(String message) {
    super(ErrorKind.CANCELLED, message);
  }
}
