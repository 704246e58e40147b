package dev.opsflow.redis.cloud.client;

import dev.opsflow.workflow.http.ErrorDecoder;
import dev.opsflow.workflow.http.HttpResponseData;
import tools.jackson.databind.JsonNode;

/**
 * Reads Redis Cloud error answers: {@code {"error": "CODE"}} (the description's string form) or
 * {@code {"error": {"type", "status", "description"}}}; anything else goes to the standard decoder.
 */
final class CloudErrorDecoder implements ErrorDecoder {
  static final CloudErrorDecoder INSTANCE = new CloudErrorDecoder();

  @Override
  public ApiError decode(HttpResponseData response) {
    try {
      if (response.hasBody()) {
        JsonNode body = response.json();
        JsonNode error = body.isObject() ? body.get("error") : null;
        if (error != null) {
          var parsed = TaskError.from(error);
          if (parsed.isPresent()) {
            TaskError e = parsed.get();
            String code = "UNKNOWN".equals(e.code()) && e.description() != null ? null : e.code();
            String message =
                e.description() != null
                    ? e.description()
                    : text(body, "description", text(body, "message", null));
            return new ApiError(code, message);
          }
        }
      }
    } catch (RuntimeException notJson) {
      // the standard decoder shows an excerpt of bodies that are not JSON
    }
    return ErrorDecoder.standard().decode(response);
  }

  private static String text(JsonNode node, String field, String otherwise) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? otherwise : v.asString();
  }
}
