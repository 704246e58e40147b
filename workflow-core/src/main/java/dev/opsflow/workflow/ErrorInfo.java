package dev.opsflow.workflow;

import java.util.List;
import java.util.Map;

/**
 * The error part of a {@link WorkflowResult}: what failed, where and what to do. Part of the
 * result's JSON contract ({@code docs/result-json.md}).
 *
 * @param type the kind of failure
 * @param message what failed, in words (never a secret)
 * @param step the step that failed, or null
 * @param subTask what the step was doing, or null
 * @param details facts (ids, states, codes)
 * @param suggestions what to do next
 * @param retryable whether running again may succeed
 */
public record ErrorInfo(
    ErrorKind type,
    String message,
    String step,
    String subTask,
    Map<String, Object> details,
    List<String> suggestions,
    boolean retryable) {

  /**
   * Copies the details and suggestions (null becomes empty), so the record is immutable.
   *
   * @param type the kind of failure
   * @param message what failed, in words (never a secret)
   * @param step the step that failed, or null
   * @param subTask what the step was doing, or null
   * @param details facts (ids, states, codes); null for none
   * @param suggestions what to do next; null for none
   * @param retryable whether running again may succeed
   */
  public ErrorInfo {
    details = details == null ? Map.of() : Map.copyOf(details);
    suggestions = suggestions == null ? List.of() : List.copyOf(suggestions);
  }

  /**
   * The error for an exception thrown in {@code step} during {@code subTask}.
   *
   * @param error the exception the step threw
   * @param step the step that failed, or null
   * @param subTask what the step was doing, or null
   * @return its kind, message, details, suggestions and retryability, as {@link Retries#classify}
   *     sees them
   */
  public static ErrorInfo of(Throwable error, String step, String subTask) {
    var classified = Retries.classify(error);
    return new ErrorInfo(
        classified.kind(),
        Retries.messageOf(error),
        step,
        subTask,
        classified.details(),
        classified.suggestions(),
        classified.retryable());
  }

  /**
   * A copy with more suggestions.
   *
   * @param more suggestions to add after the present ones
   * @return a copy with the suggestions appended
   */
  public ErrorInfo withSuggestions(List<String> more) {
    var all = new java.util.ArrayList<>(suggestions);
    for (String s : more) {
      if (!all.contains(s)) {
        all.add(s);
      }
    }
    return new ErrorInfo(type, message, step, subTask, details, all, retryable);
  }
}
