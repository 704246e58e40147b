package dev.opsflow.examples;

import dev.opsflow.workflow.ErrorInfo;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.WorkflowResult;

/**
 * The {@code opsflow} command's exit statuses, one per thing a script may branch on (the table in
 * the README), and how a run's result maps to them.
 */
enum ExitCodes {
  SUCCESS(0, "success"),
  ERROR(1, "error"),
  USAGE(2, "usage"),
  CONFIGURATION(3, "configuration"),
  AUTHENTICATION(4, "authentication"),
  NOT_FOUND(5, "not_found"),
  VALIDATION(6, "validation"),
  CONFLICT(7, "conflict"),
  REMOTE_API(8, "remote_api"),
  RATE_LIMITED(9, "rate_limited"),
  NETWORK(10, "network"),
  TIMEOUT(11, "timeout"),
  CANCELLED(12, "cancelled"),
  PARTIAL(13, "partial");

  final int code;

  /** The {@code type} of the JSON error envelope. */
  final String type;

  ExitCodes(int code, String type) {
    this.code = code;
    this.type = type;
  }

  /**
   * The status for a finished run: 0 when it completed; 11 for a run timeout, 12 when cancelled,
   * however it ended; else its error's kind, except that a run that stopped with completed work
   * kept (PARTIAL: resumable) for no more specific cause than a remote failure or a step's own
   * error is 13.
   */
  static ExitCodes of(WorkflowResult result) {
    if (result.success()) {
      return SUCCESS;
    }
    ErrorInfo error = result.error();
    if (error != null && error.type() == ErrorKind.TIMEOUT) {
      return TIMEOUT;
    }
    if (result.status() == RunState.CANCELLED
        || (error != null && error.type() == ErrorKind.CANCELLED)) {
      return CANCELLED;
    }
    ExitCodes cause = error == null ? ERROR : of(error);
    if (result.status() == RunState.PARTIAL && (cause == ERROR || cause == REMOTE_API)) {
      return PARTIAL;
    }
    return cause;
  }

  /** The status for an error of a run: by its kind, and for a remote API's by its HTTP status. */
  static ExitCodes of(ErrorInfo error) {
    return switch (error.type()) {
      case VALIDATION -> VALIDATION;
      case CONFIGURATION -> CONFIGURATION;
      case TIMEOUT -> TIMEOUT;
      case CANCELLED -> CANCELLED;
      case AUTH -> AUTHENTICATION;
      case CONNECTION -> NETWORK;
      case API -> ofHttpStatus(error.details().get("status"));
      case PROTOCOL, REMOTE_FAILURE -> REMOTE_API;
      default -> ERROR;
    };
  }

  private static ExitCodes ofHttpStatus(Object status) {
    int s = status instanceof Number n ? n.intValue() : 0;
    return switch (s) {
      case 401, 403 -> AUTHENTICATION;
      case 404 -> NOT_FOUND;
      case 409 -> CONFLICT;
      case 408 -> TIMEOUT;
      case 429 -> RATE_LIMITED;
      default -> REMOTE_API;
    };
  }
}
