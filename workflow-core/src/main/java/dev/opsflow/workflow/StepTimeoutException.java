package dev.opsflow.workflow;

import java.util.List;
import java.util.Map;

/**
 * A step, a wait or a run went past its time limit. For a wait, the message names what was awaited
 * and the last state seen.
 */
public class StepTimeoutException extends WorkflowException {
  private static final long serialVersionUID = 1L;

  /** A timeout with its message. */
  public StepTimeoutException(String message) {
    super(ErrorKind.TIMEOUT, message);
  }

  /** A timeout with details (what was awaited, the last state). */
  public StepTimeoutException(String message, Map<String, ?> details) {
    super(ErrorKind.TIMEOUT, message, null, true, details, List.of());
  }
}
