package dev.opsflow.redis.enterprise.testing;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulated node actions ({@code /v1/nodes/{uid}/actions/{action}}): {@code maintenance_on}
 * (its shards move to other nodes and it accepts none until {@code maintenance_off}) and {@code
 * maintenance_off}. One instance of an action per node at a time (409 otherwise); a new one
 * replaces the status of the last. Called under the simulator's lock.
 */
final class SimulatorNodeActions {
  private static final List<String> SUPPORTED = List.of("maintenance_on", "maintenance_off");

  private final SimulatorApi api;
  private final Map<String, SimulatedAction> actions = new LinkedHashMap<>();
  private final Map<String, Boolean> applied = new LinkedHashMap<>();

  SimulatorNodeActions(SimulatorApi api) {
    this.api = api;
  }

  /** Applies the effect of the node actions that completed by {@code now}. */
  void apply(List<SimulatedNode> nodes, Instant now) {
    actions.forEach(
        (key, action) -> {
          if (action.completed(now) && !applied.getOrDefault(key, false)) {
            applied.put(key, true);
            int uid = Integer.parseInt(key.substring(0, key.indexOf('/')));
            nodes.stream()
                .filter(n -> n.uid == uid)
                .forEach(n -> n.maintenance = action.name.equals("maintenance_on"));
          }
        });
  }

  Reply start(SimulatedNode node, String name, Instant now) {
    if (!SUPPORTED.contains(name)) {
      return Reply.error(
          400, "invalid_action", "the simulator supports the node actions " + SUPPORTED);
    }
    String key = node.uid + "/" + name;
    SimulatedAction running = actions.get(key);
    if (running != null && !running.terminal(now)) {
      return Reply.error(409, "action_in_progress", name + " is running on node " + node.uid);
    }
    if (name.equals("maintenance_on") && api.nodes(now).size() < 2) {
      return Reply.error(
          409,
          "insufficient_resources",
          "node " + node.uid + " is the only node: its shards have nowhere to go");
    }
    var action =
        new SimulatedAction(
                SimulatorApi.newActionUid(),
                name,
                "node:" + node.uid,
                now,
                api.databaseDuration(),
                api.faults().takeActionFault())
            .onNode(node.uid);
    actions.put(key, action);
    applied.put(key, false);
    return Reply.ok(json(action, now));
  }

  Reply get(SimulatedNode node, String name, Instant now) {
    SimulatedAction action = actions.get(node.uid + "/" + name);
    return action == null
        ? Reply.error(404, "action_not_exist", name + " has not run on node " + node.uid)
        : Reply.ok(json(action, now));
  }

  Reply list(SimulatedNode node, Instant now) {
    return Reply.ok(
        Map.of(
            "actions",
            actions.entrySet().stream()
                .filter(e -> node == null || e.getKey().startsWith(node.uid + "/"))
                .map(e -> json(e.getValue(), now))
                .toList()));
  }

  private static Map<String, Object> json(SimulatedAction action, Instant now) {
    var json = new LinkedHashMap<>(action.toJson(now));
    // Node actions carry their progress as a number (the node actions page's example).
    json.put("progress", action.progress(now));
    return json;
  }
}
