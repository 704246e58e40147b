package dev.opsflow.hardware.provisioning;

import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.WorkflowException;

/**
 * A method cannot serve a capability on this server at all (the resource answers 404, the tool is
 * not installed, the protocol has no such operation): the chain skips it with this reason and tries
 * the next. Not retryable.
 */
public final class MethodUnavailableException extends WorkflowException {
  private static final long serialVersionUID = 1L;

  /**
   * {@code reason} says why, for the result's skip list.
   *
   * @param reason why the method cannot serve this server
   */
  public MethodUnavailableException(String reason) {
    super(ErrorKind.CONFIGURATION, reason);
  }
}
