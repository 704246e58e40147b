package dev.opsflow.dashboard.internal;

import dev.opsflow.workflow.Json;
import java.nio.charset.StandardCharsets;

/**
 * A complete response: status, content type and body.
 *
 * @param status the HTTP status
 * @param contentType the body's media type
 * @param body the body
 */
record Reply(int status, String contentType, byte[] body) {
  static final String JSON = "application/json; charset=utf-8";

  /** {@code value} as JSON with {@code status}. */
  static Reply json(int status, Object value) {
    return new Reply(status, JSON, Json.mapper().writeValueAsBytes(value));
  }

  /** A JSON text already made (a result's own {@code toJson()}). */
  static Reply jsonText(String text) {
    return new Reply(200, JSON, text.getBytes(StandardCharsets.UTF_8));
  }

  /** 200 with {@code value} as JSON. */
  static Reply ok(Object value) {
    return json(200, value);
  }
}
