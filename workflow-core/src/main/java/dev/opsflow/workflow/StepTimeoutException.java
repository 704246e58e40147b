package dev.opsflow.workflow;

import java.util.List;
import java.util.Map;

/**
 * A step, a wait or a run went past its time limit. For a wait, the message names what was awaited
 * and the last state seen.
 */
public class StepTimeoutException extends WorkflowException {
  private static final long serialVersionUID = 1L;

  /**
   * A timeout with its message.
   *
   * @param message what timed out and after how long
   */
  public StepTimeoutException(String message) {
    super(ErrorKind.TIMEOUT, message);
  }

  /**
   * A timeout with details (what was awaited, the last state).
   *
   * @param message what timed out and after how long
   * @param details facts about it: what was awaited, the last state seen
   */
  public StepTimeoutException(String message, Map<String, ?> details) {
    super(ErrorKind.TIMEOUT, message, null, true, details, List.of());
  }

  private StepTimeoutException(StepTimeoutException e, List<String> suggestions) {
    super(ErrorKind.TIMEOUT, e.getMessage(), e.getCause(), e.retryable(), e.details(), suggestions);
    setStackTrace(e.getStackTrace());
  }

  /** A copy with more suggestions appended, still a timeout. */
  @Override
  public StepTimeoutException withSuggestions(List<String> more) {
    var all = new java.util.ArrayList<>(suggestions());
    all.addAll(more);
    return new StepTimeoutException(this, all);
  }
}
