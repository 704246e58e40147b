package dev.opsflow.workflow;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The root of Opsflow's exceptions. It carries what a person or a script needs to act: the kind of
 * failure, whether a retry may help, details (never secrets) and suggestions for recovery.
 *
 * <p>Immutable once thrown; safe to share between threads.
 */
public class WorkflowException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorKind kind;
  private final boolean retryable;
  private final transient Map<String, Object> details;
  private final List<String> suggestions;

  /** A failure of the given kind; retryable for CONNECTION and TIMEOUT. */
  public WorkflowException(ErrorKind kind, String message) {
    this(kind, message, null, defaultRetryable(kind), Map.of(), List.of());
  }

  /** A failure of the given kind with its cause. */
  public WorkflowException(ErrorKind kind, String message, Throwable cause) {
    this(kind, message, cause, defaultRetryable(kind), Map.of(), List.of());
  }

  /** A failure with every part given. Null maps and lists are taken as empty. */
  public WorkflowException(
      ErrorKind kind,
      String message,
      Throwable cause,
      boolean retryable,
      Map<String, ?> details,
      List<String> suggestions) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind must not be null");
    this.retryable = retryable;
    this.details = details == null ? Map.of() : Map.copyOf(details);
    this.suggestions = suggestions == null ? List.of() : List.copyOf(suggestions);
  }

  private static boolean defaultRetryable(ErrorKind kind) {
    return kind == ErrorKind.CONNECTION || kind == ErrorKind.TIMEOUT;
  }

  /** What kind of failure this is. */
  public ErrorKind kind() {
    return kind;
  }

  /** Whether trying again may succeed. */
  public boolean retryable() {
    return retryable;
  }

  /** Facts about the failure (ids, states, codes); never secrets. */
  public Map<String, Object> details() {
    return details;
  }

  /** What a person can do next. */
  public List<String> suggestions() {
    return suggestions;
  }

  /** A copy with more suggestions appended. */
  public WorkflowException withSuggestions(List<String> more) {
    var all = new java.util.ArrayList<>(suggestions);
    all.addAll(more);
    var copy = new WorkflowException(kind, getMessage(), getCause(), retryable, details, all);
    copy.setStackTrace(getStackTrace());
    return copy;
  }
}
