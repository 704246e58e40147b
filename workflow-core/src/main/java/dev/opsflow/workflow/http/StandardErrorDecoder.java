package dev.opsflow.workflow.http;

import dev.opsflow.workflow.http.ErrorDecoder.ApiError;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** The default {@link ErrorDecoder}; see {@link ErrorDecoder#standard()} for the shapes. */
enum StandardErrorDecoder implements ErrorDecoder {
  INSTANCE;

  private static final List<String> CODE_FIELDS = List.of("error_code", "errorCode", "code");
  private static final List<String> MESSAGE_FIELDS =
      List.of("description", "message", "detail", "error", "title");

  @Override
  public ApiError decode(HttpResponseData response) {
    if (!response.hasBody()) {
      return ApiError.NONE;
    }
    JsonNode body;
    try {
      body = response.json();
    } catch (RuntimeException e) {
      return new ApiError(null, response.excerpt());
    }
    if (!body.isObject()) {
      return new ApiError(null, response.excerpt());
    }
    JsonNode error = body.get("error");
    if (error != null && error.isObject()) {
      ApiError nested = fromErrorObject(error);
      if (nested.code() != null || nested.message() != null) {
        return nested;
      }
    }
    ApiError flat = new ApiError(text(body, CODE_FIELDS), text(body, MESSAGE_FIELDS));
    if (flat.code() == null && flat.message() == null) {
      return new ApiError(null, response.excerpt());
    }
    return flat;
  }

  private static ApiError fromErrorObject(JsonNode error) {
    String code = text(error, CODE_FIELDS);
    if (code == null) {
      code = text(error, List.of("type"));
    }
    String message = text(error, MESSAGE_FIELDS);
    JsonNode extended = error.path("@Message.ExtendedInfo").path(0);
    if (extended.isObject()) {
      String extendedId = text(extended, List.of("MessageId"));
      String extendedMessage = text(extended, List.of("Message"));
      code = extendedId != null ? extendedId : code;
      message = extendedMessage != null ? extendedMessage : message;
    }
    return new ApiError(code, message);
  }

  /** The first of the fields that holds a scalar, as text; null when none does. */
  private static String text(JsonNode node, List<String> fields) {
    for (String field : fields) {
      JsonNode value = node.get(field);
      if (value != null && value.isValueNode() && !value.isNull()) {
        String text = value.asString();
        if (!text.isBlank()) {
          return text;
        }
      }
    }
    return null;
  }
}
