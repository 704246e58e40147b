package dev.opsflow.workflow;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A remote API answered with an error, or could not be reached.
 *
 * <p>Connection errors, 408, 429 and 5xx are retryable; other 4xx are not (401 and 403 are of kind
 * AUTH). {@link #retryAfter()} carries the server's Retry-After when it sent one. The message names
 * the method, the path, the status and the API's own error code and description; never a secret.
 */
public class ApiException extends WorkflowException {
  private static final long serialVersionUID = 1L;

  /** The HTTP method or operation that failed. */
  private final String method;

  /** The path or resource it was sent to. */
  private final String path;

  /** The HTTP status, or 0 when no answer came. */
  private final int status;

  /** The API's own error code, or null. */
  private final String errorCode;

  /** How long the server asked to wait before the next try, or null. */
  private final Duration retryAfter;

  /**
   * An API failure with the request it answers and what the API said.
   *
   * @param method the HTTP method (or the operation, for non-HTTP APIs)
   * @param path the path or resource
   * @param status the HTTP status, 0 when no answer came
   * @param errorCode the API's own error code, or null
   * @param message what the API said, or what went wrong
   * @param retryable whether trying again may succeed
   * @param retryAfter how long the server asked us to wait, or null
   * @param cause the underlying exception, or null
   */
  public ApiException(
      String method,
      String path,
      int status,
      String errorCode,
      String message,
      boolean retryable,
      Duration retryAfter,
      Throwable cause) {
    super(
        kindFor(status),
        describe(method, path, status, errorCode, message),
        cause,
        retryable,
        details(method, path, status, errorCode),
        List.of());
    this.method = method;
    this.path = path;
    this.status = status;
    this.errorCode = errorCode;
    this.retryAfter = retryAfter;
  }

  /**
   * A copy of {@code from} with this message and these suggestions: the same kind, cause,
   * retryability, details, method, path, status, error code and Retry-After. For subclasses' {@link
   * #withSuggestions} overrides.
   *
   * @param from the exception to copy
   * @param message the new message (never a secret)
   * @param suggestions the new suggestions, replacing those of {@code from}
   */
  protected ApiException(ApiException from, String message, List<String> suggestions) {
    super(from.kind(), message, from.getCause(), from.retryable(), from.details(), suggestions);
    this.method = from.method;
    this.path = from.path;
    this.status = from.status;
    this.errorCode = from.errorCode;
    this.retryAfter = from.retryAfter;
    setStackTrace(from.getStackTrace());
  }

  /**
   * A copy with more suggestions appended that is still an {@code ApiException}: its status, error
   * code and Retry-After (which the engine's retry honours) are kept.
   */
  @Override
  public ApiException withSuggestions(List<String> more) {
    return new ApiException(this, getMessage(), appended(more));
  }

  /**
   * This exception's suggestions followed by {@code more}.
   *
   * @param more the suggestions to add at the end
   * @return a new list: the suggestions, then {@code more}
   */
  protected final List<String> appended(List<String> more) {
    var all = new java.util.ArrayList<>(suggestions());
    all.addAll(more);
    return all;
  }

  /**
   * Whether an HTTP status is worth a retry: 408, 425, 429 and 5xx.
   *
   * @param status an HTTP status code
   * @return true for 408, 425, 429 and 5xx
   */
  public static boolean isRetryableStatus(int status) {
    return status == 408 || status == 425 || status == 429 || status >= 500;
  }

  private static ErrorKind kindFor(int status) {
    if (status == 0) {
      return ErrorKind.CONNECTION;
    }
    if (status == 401 || status == 403) {
      return ErrorKind.AUTH;
    }
    return ErrorKind.API;
  }

  private static String describe(
      String method, String path, int status, String errorCode, String message) {
    var sb = new StringBuilder().append(method).append(' ').append(path);
    sb.append(status == 0 ? " failed" : " answered " + status);
    if (errorCode != null && !errorCode.isBlank()) {
      sb.append(" [").append(errorCode).append(']');
    }
    if (message != null && !message.isBlank()) {
      sb.append(": ").append(message);
    }
    return sb.toString();
  }

  private static Map<String, Object> details(
      String method, String path, int status, String errorCode) {
    var d = new LinkedHashMap<String, Object>();
    d.put("method", method);
    d.put("path", path);
    d.put("status", status);
    if (errorCode != null) {
      d.put("errorCode", errorCode);
    }
    return d;
  }

  /** {@return the HTTP method or operation} */
  public String method() {
    return method;
  }

  /** {@return the path or resource} */
  public String path() {
    return path;
  }

  /** {@return the HTTP status; 0 when no answer came} */
  public int status() {
    return status;
  }

  /** {@return the API's own error code, or null} */
  public String errorCode() {
    return errorCode;
  }

  /** {@return how long the server asked to wait before the next try} */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
