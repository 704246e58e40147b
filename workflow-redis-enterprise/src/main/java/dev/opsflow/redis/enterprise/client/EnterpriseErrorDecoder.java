package dev.opsflow.redis.enterprise.client;

import dev.opsflow.workflow.http.ErrorDecoder;
import dev.opsflow.workflow.http.HttpResponseData;
import tools.jackson.databind.JsonNode;

/**
 * The Redis Enterprise API's error shapes: the flat {@code {"error_code", "description" |
 * "message"}} of most endpoints (the standard decoder's), and the {@code bootstrap_status} object
 * of a refused bootstrap validation ({@code error_code}, {@code error_details.message}).
 */
enum EnterpriseErrorDecoder implements ErrorDecoder {
  INSTANCE;

  @Override
  public ApiError decode(HttpResponseData response) {
    JsonNode status = bootstrapStatus(response);
    if (status != null) {
      String code = text(status.get("error_code"));
      String message = text(status.path("error_details").get("message"));
      if (code != null || message != null) {
        return new ApiError(code, message);
      }
    }
    return ErrorDecoder.standard().decode(response);
  }

  private static JsonNode bootstrapStatus(HttpResponseData response) {
    if (!response.hasBody()) {
      return null;
    }
    try {
      JsonNode status = response.json().get("bootstrap_status");
      return status != null && status.isObject() ? status : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String text(JsonNode node) {
    return node != null && node.isValueNode() && !node.isNull() && !node.asString().isBlank()
        ? node.asString()
        : null;
  }
}
