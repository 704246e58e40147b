package dev.opsflow.redis.enterprise.testing;

import dev.opsflow.workflow.Json;
import tools.jackson.databind.JsonNode;

/** JSON helpers of the simulator. */
final class SimulatorJson {
  private SimulatorJson() {}

  /** A tree as plain maps, lists and scalars. */
  static Object plain(JsonNode node) {
    return Json.mapper().convertValue(node, Object.class);
  }

  /** Parses a request body; null for an empty one, a text node for one that is not JSON. */
  static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      return Json.mapper().readTree(body);
    } catch (RuntimeException e) {
      return Json.mapper().getNodeFactory().stringNode(body);
    }
  }

  static String write(Object value) {
    return Json.mapper().writeValueAsString(value);
  }
}
