package dev.opsflow.workflow.spi;

import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.WorkflowException;
import java.util.List;
import java.util.Map;

/** A store could not read or write. The message names the store, the problem and the fix. */
public class StoreException extends WorkflowException {
  private static final long serialVersionUID = 1L;

  /**
   * A store failure.
   *
   * @param message what failed, naming the store and the run
   * @param cause the underlying failure
   */
  public StoreException(String message, Throwable cause) {
    super(ErrorKind.INTERNAL, message, cause, false, Map.of(), List.of());
  }

  /**
   * A store failure with a suggested fix.
   *
   * @param message what failed, naming the store and the run
   * @param fix what the operator can do about it
   * @param cause the underlying failure
   */
  public StoreException(String message, String fix, Throwable cause) {
    super(ErrorKind.INTERNAL, message, cause, false, Map.of(), List.of(fix));
  }
}
