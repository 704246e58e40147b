package dev.opsflow.redis.cloud.client;

import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The error of a task that ended in {@code processing-error}. The API's description types {@code
 * response.error} as a string code ({@code DATABASE_NAME_EXISTS}); real answers also send an object
 * {@code {"type", "status", "description"}}. Both are read. Immutable.
 *
 * @param code the error code ({@code type} of the object form)
 * @param status the HTTP-like status the API gives ({@code "400 BAD_REQUEST"}), or null
 * @param description the API's description, or null
 */
public record TaskError(String code, String status, String description) {

  /**
   * Reads an error node in either shape; empty for null, missing or empty nodes.
   *
   * @param error the task's {@code response.error} node, or null
   * @return the error, or empty when the node holds none
   */
  public static Optional<TaskError> from(JsonNode error) {
    if (error == null || error.isNull() || error.isMissingNode()) {
      return Optional.empty();
    }
    if (error.isString()) {
      String text = error.asString().strip();
      if (text.isEmpty()) {
        return Optional.empty();
      }
      // A code is upper case with underscores; other text (a 429's "You have exhausted your API
      // Request Quota") is a description.
      return Optional.of(
          text.matches("[A-Z0-9_]+")
              ? new TaskError(text, null, null)
              : new TaskError("UNKNOWN", null, text));
    }
    if (error.isObject()) {
      String code = text(error, "type");
      if (code == null) {
        code = text(error, "code");
      }
      return Optional.of(
          new TaskError(
              code == null ? "UNKNOWN" : code, text(error, "status"), text(error, "description")));
    }
    return Optional.of(new TaskError(error.toString(), null, null));
  }

  /** {@return the numeric HTTP status at the start of {@link #status()}, else 400} */
  public int httpStatus() {
    if (status != null) {
      String digits = status.strip().split("\\D", 2)[0];
      if (!digits.isEmpty()) {
        try {
          return Integer.parseInt(digits);
        } catch (NumberFormatException ignored) {
          // fall through to the default
        }
      }
    }
    return 400;
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asString();
  }
}
