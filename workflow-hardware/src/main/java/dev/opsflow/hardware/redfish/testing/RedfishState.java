package dev.opsflow.hardware.redfish.testing;

import dev.opsflow.workflow.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a {@link RedfishSimulator} keeps in its state directory: every resource as it is now, the
 * sessions, the update tasks with their timelines (so one running at a restart goes on from where
 * the clock says it is) and the password. Called under the simulator's lock.
 */
final class RedfishState {
  private RedfishState() {}

  static ObjectNode snapshot(RedfishSimulator sim, String password) {
    ObjectNode state = Json.mapper().createObjectNode();
    state.put("version", 1);
    state.put("password", password);
    ObjectNode resources = state.putObject("resources");
    sim.resources.forEach(resources::set);
    ObjectNode sessions = state.putObject("sessions");
    sim.sessions.forEach(sessions::put);
    state.set("behaviour", sim.behaviour.updates.snapshot());
    return state;
  }

  static Map<String, ObjectNode> resources(JsonNode saved) {
    var resources = new LinkedHashMap<String, ObjectNode>();
    saved
        .path("resources")
        .properties()
        .forEach(e -> resources.put(e.getKey(), (ObjectNode) e.getValue()));
    if (!resources.containsKey("/redfish/v1")) {
      throw new IllegalStateException("the saved Redfish state has no service root");
    }
    return resources;
  }

  static void restore(JsonNode saved, RedfishSimulator sim) {
    saved
        .path("sessions")
        .properties()
        .forEach(e -> sim.sessions.put(e.getKey(), e.getValue().asString()));
    sim.behaviour.updates.restore(saved.path("behaviour"));
  }
}
