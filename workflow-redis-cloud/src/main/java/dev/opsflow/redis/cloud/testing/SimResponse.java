package dev.opsflow.redis.cloud.testing;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** An answer of the simulator: status and JSON body (null: none). */
record SimResponse(int status, JsonNode body) {

  static SimResponse ok(JsonNode body) {
    return new SimResponse(200, body);
  }

  /** A task answer with 202, as the API's creates answer. */
  static SimResponse accepted(SimTask task, java.time.Instant now) {
    return new SimResponse(202, task.toJson(now));
  }

  /** A task answer with 200, as the API's updates and deletes answer. */
  static SimResponse processed(SimTask task, java.time.Instant now) {
    return new SimResponse(200, task.toJson(now));
  }

  /** An error in the object form {@code {"error": {type, status, description}}}. */
  static SimResponse error(int status, String code, String description) {
    ObjectNode body = CloudState.F.objectNode();
    ObjectNode e = body.putObject("error");
    e.put("type", code);
    e.put("status", status + " " + reason(status));
    e.put("description", description);
    return new SimResponse(status, body);
  }

  static String reason(int status) {
    return switch (status) {
      case 400 -> "BAD_REQUEST";
      case 401 -> "UNAUTHORIZED";
      case 404 -> "NOT_FOUND";
      case 409 -> "CONFLICT";
      case 429 -> "TOO_MANY_REQUESTS";
      case 500 -> "INTERNAL_SERVER_ERROR";
      case 503 -> "SERVICE_UNAVAILABLE";
      default -> "ERROR";
    };
  }
}
