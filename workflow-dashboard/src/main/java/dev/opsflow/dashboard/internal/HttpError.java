package dev.opsflow.dashboard.internal;

import java.util.Map;

/**
 * A request the dashboard refuses, answered as a JSON error with {@code status}: {@code {"error":
 * {"status", "code", "message", ...extra}}}. The message never holds a secret.
 */
final class HttpError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final transient Map<String, Object> extra;

  /** An error with extra fields for the error object. */
  public HttpError(int status, String code, String message, Map<String, Object> extra) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.extra = extra == null ? Map.of() : Map.copyOf(extra);
  }

  /** An error without extra fields. */
  public HttpError(int status, String code, String message) {
    this(status, code, message, Map.of());
  }

  static HttpError badRequest(String message) {
    return new HttpError(400, "BAD_REQUEST", message);
  }

  static HttpError notFound(String message) {
    return new HttpError(404, "NOT_FOUND", message);
  }

  static HttpError conflict(String code, String message) {
    return new HttpError(409, code, message);
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** A stable machine-readable code, such as {@code VALIDATION} or {@code UNAUTHORIZED}. */
  public String code() {
    return code;
  }

  /** More fields of the error object. */
  public Map<String, Object> extra() {
    return extra;
  }
}
