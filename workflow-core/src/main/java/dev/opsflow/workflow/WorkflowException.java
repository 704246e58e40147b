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

  /** What kind of failure this is. */
  private final ErrorKind kind;

  /** Whether trying again may succeed. */
  private final boolean retryable;

  private final transient Map<String, Object> details;

  /** What a person can do next. */
  private final List<String> suggestions;

  /**
   * A failure of the given kind; retryable for CONNECTION and TIMEOUT.
   *
   * @param kind what kind of failure this is
   * @param message what failed, where, and what to do (never a secret)
   */
  public WorkflowException(ErrorKind kind, String message) {
    this(kind, message, null, defaultRetryable(kind), Map.of(), List.of());
  }

  /**
   * A failure of the given kind with its cause.
   *
   * @param kind what kind of failure this is
   * @param message what failed, where, and what to do (never a secret)
   * @param cause the exception that caused it
   */
  public WorkflowException(ErrorKind kind, String message, Throwable cause) {
    this(kind, message, cause, defaultRetryable(kind), Map.of(), List.of());
  }

  /**
   * A failure with every part given. Null maps and lists are taken as empty.
   *
   * @param kind what kind of failure this is
   * @param message what failed, where, and what to do (never a secret)
   * @param cause the exception that caused it, or null
   * @param retryable whether trying again may succeed
   * @param details facts about the failure (ids, states, codes), never secrets; null for none
   * @param suggestions what a person can do next; null for none
   */
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

  /** {@return what kind of failure this is} */
  public ErrorKind kind() {
    return kind;
  }

  /** {@return whether trying again may succeed} */
  public boolean retryable() {
    return retryable;
  }

  /**
   * Facts about the failure (ids, states, codes); never secrets.
   *
   * @return the facts, unmodifiable; empty when there are none
   */
  public Map<String, Object> details() {
    return details;
  }

  /** {@return what a person can do next} */
  public List<String> suggestions() {
    return suggestions;
  }

  /**
   * A copy with more suggestions appended.
   *
   * @param more the suggestions to add
   * @return a copy of this exception (same kind, message, cause and details) with the suggestions
   *     appended
   */
  public WorkflowException withSuggestions(List<String> more) {
    var all = new java.util.ArrayList<>(suggestions);
    all.addAll(more);
    var copy = new WorkflowException(kind, getMessage(), getCause(), retryable, details, all);
    copy.setStackTrace(getStackTrace());
    return copy;
  }
}
