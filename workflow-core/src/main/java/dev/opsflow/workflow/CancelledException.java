package dev.opsflow.workflow;

/** The run was cancelled. Thrown by {@link StepContext#checkCancelled()} and by waits. */
public class CancelledException extends WorkflowException {
  private static final long serialVersionUID = 1L;

  /**
   * A cancellation with a message saying where it was noticed.
   *
   * @param message where the cancel was noticed
   */
  public CancelledException(String message) {
    super(ErrorKind.CANCELLED, message);
  }

  /**
   * A cancellation with facts for the result's {@code error.details}.
   *
   * @param message where the cancel was noticed
   * @param details facts about the run or step cancelled (ids, states)
   */
  public CancelledException(String message, java.util.Map<String, ?> details) {
    super(ErrorKind.CANCELLED, message, null, false, details, java.util.List.of());
  }

  private CancelledException(CancelledException e, java.util.List<String> suggestions) {
    super(
        ErrorKind.CANCELLED, e.getMessage(), e.getCause(), e.retryable(), e.details(), suggestions);
    setStackTrace(e.getStackTrace());
  }

  /** A copy with more suggestions appended, still a cancellation. */
  @Override
  public CancelledException withSuggestions(java.util.List<String> more) {
    var all = new java.util.ArrayList<>(suggestions());
    all.addAll(more);
    return new CancelledException(this, all);
  }
}
