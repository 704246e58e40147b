package dev.opsflow.workflow;

/** What kind of failure a {@link WorkflowException} is; it decides retries and messages. */
public enum ErrorKind {
  /** Bad input: fix the input and run again. Never retried. */
  VALIDATION,
  /** Wrong configuration or a programming error in a workflow. Never retried. */
  CONFIGURATION,
  /** A step, a wait or a run took longer than allowed. Retried by default. */
  TIMEOUT,
  /** The run was cancelled. Never retried. */
  CANCELLED,
  /** A remote API answered with an error; {@link ApiException#retryable()} decides. */
  API,
  /** A remote system could not be reached (refused, reset, unresolved). Retried. */
  CONNECTION,
  /** Credentials were refused. Never retried. */
  AUTH,
  /** A remote system answered something we cannot read. Never retried. */
  PROTOCOL,
  /** A remote operation ended in failure (a task, an action, a commissioning). */
  REMOTE_FAILURE,
  /** Anything else a step threw. */
  STEP_FAILED,
  /**
   * A remote endpoint's circuit breaker is open after repeated failures: no request was sent.
   * Retried after the breaker's remaining open time ({@link CircuitOpenException#retryAfter()}).
   */
  CIRCUIT_OPEN,
  /** A failure inside the engine or a store. */
  INTERNAL
}
