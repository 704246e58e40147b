package dev.opsflow.hardware.redfish.testing;

import dev.opsflow.hardware.redfish.testing.RedfishSimulator.Answer;
import dev.opsflow.workflow.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Firmware updates of the {@link RedfishSimulator}: {@code #UpdateService.SimpleUpdate} makes a
 * Task in the TaskService and a task monitor; the task moves along its timeline on the simulator's
 * clock, lazily at each request. Called under the simulator's lock.
 */
final class RedfishUpdates {
  /** An update task: its timeline and outcome (kept in the state directory). */
  record SimTask(
      String uri,
      String monitor,
      Instant started,
      Duration duration,
      String failure,
      List<String> targets,
      String version) {}

  private final RedfishSimulator sim;
  private final RedfishBehaviour behaviour;
  private final Map<String, SimTask> tasks = new LinkedHashMap<>();
  private final Set<String> finished = new HashSet<>();
  String updateFailure;
  boolean updatesStuck;
  boolean monitorsDeletedWhenDone;
  Duration updateDuration = Duration.ofMinutes(3);
  private int nextTask = 1000;

  RedfishUpdates(RedfishSimulator sim, RedfishBehaviour behaviour) {
    this.sim = sim;
    this.behaviour = behaviour;
  }

  /** The answer of a task monitor at {@code path}, or null when it is not one. */
  Answer monitor(String path) {
    SimTask monitored =
        tasks.values().stream().filter(t -> t.monitor().equals(path)).findFirst().orElse(null);
    if (monitored == null) {
      return null;
    }
    ObjectNode task = sim.resources.get(monitored.uri());
    boolean done = finished.contains(monitored.uri());
    if (done && monitorsDeletedWhenDone) {
      return RedfishBehaviour.missing(path);
    }
    return new Answer(
        done ? 200 : 202,
        task,
        done ? Map.of() : Map.of("Location", monitored.monitor(), "Retry-After", "5"));
  }

  Answer simpleUpdate(JsonNode params) {
    if (params.has("ImageURI") && !params.get("ImageURI").isString()) {
      return RedfishPatches.typeError("ImageURI", params.get("ImageURI"), "a string");
    }
    String image = params.path("ImageURI").asString("");
    if (image.isEmpty()) {
      return RedfishSimulator.error(
          400,
          "ActionParameterMissing",
          "The action SimpleUpdate requires the parameter ImageURI to be present.");
    }
    var targets = new java.util.ArrayList<String>();
    for (JsonNode t : params.path("Targets")) {
      String target = RedfishBehaviour.normalize(t.asString(""));
      if (!sim.resources.containsKey(target)) {
        return RedfishSimulator.error(
            400,
            "ActionParameterValueError",
            "The value "
                + t
                + " for the parameter Targets in the action SimpleUpdate is invalid:"
                + " no such resource.");
      }
      targets.add(target);
    }
    String protocol = params.path("TransferProtocol").asString(null);
    if (protocol != null
        && !List.of("CIFS", "FTP", "SFTP", "HTTP", "HTTPS", "NSF", "SCP", "TFTP", "OEM", "NFS")
            .contains(protocol)) {
      return RedfishSimulator.error(
          400,
          "ActionParameterValueNotInList",
          "The value "
              + protocol
              + " for the parameter TransferProtocol in the action SimpleUpdate"
              + " is not in the list of acceptable values.");
    }
    String tasksPath = tasksCollection();
    String id = String.valueOf(nextTask++);
    String uri = tasksPath + "/" + id;
    String monitor =
        RedfishBehaviour.normalize(tasksPath.replaceAll("/Tasks$", "")) + "/TaskMonitors/" + id;
    String file = image.substring(image.lastIndexOf('/') + 1).replaceAll("\\.[^.]*$", "");
    var task =
        new SimTask(
            uri,
            monitor,
            sim.clock().instant(),
            updatesStuck ? Duration.ofDays(3650) : updateDuration,
            updateFailure,
            targets,
            file);
    tasks.put(uri, task);
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("@odata.type", "#Task.v1_7_1.Task");
    node.put("@odata.id", uri);
    node.put("Id", id);
    node.put("Name", "SimpleUpdate " + image);
    node.put("TaskMonitor", monitor);
    node.put("StartTime", task.started().toString());
    node.put("TaskState", "New");
    node.put("TaskStatus", "OK");
    node.put("PercentComplete", 0);
    node.put("EstimatedDuration", task.duration().toString());
    node.put("HidePayload", false);
    node.putArray("Messages");
    sim.resources.put(uri, node);
    behaviour.addMember(tasksPath, uri);
    return new Answer(202, node, Map.of("Location", monitor));
  }

  /** Moves every task along its timeline. */
  void advance() {
    Instant now = sim.clock().instant();
    for (SimTask task : tasks.values()) {
      if (finished.contains(task.uri())) {
        continue;
      }
      ObjectNode node = sim.resources.get(task.uri());
      long elapsed = Duration.between(task.started(), now).toMillis();
      long total = Math.max(1, task.duration().toMillis());
      if (elapsed >= total) {
        finished.add(task.uri());
        node.put("EndTime", now.toString());
        node.put("PercentComplete", 100);
        if (task.failure() != null) {
          node.put("TaskState", "Exception");
          node.put("TaskStatus", "Critical");
          node.putArray("Messages")
              .addObject()
              .put("MessageId", "Update.1.0.ApplyFailed")
              .put("Message", task.failure())
              .put("Severity", "Critical");
        } else {
          node.put("TaskState", "Completed");
          task.targets()
              .forEach(
                  t -> {
                    ObjectNode item = sim.resources.get(t);
                    if (item != null) {
                      item.put("Version", task.version());
                    }
                  });
        }
      } else if (elapsed > 0) {
        node.put("TaskState", "Running");
        node.put("PercentComplete", (int) (elapsed * 100 / total));
      }
    }
  }

  private String tasksCollection() {
    ObjectNode root = sim.resources.get("/redfish/v1");
    String service =
        RedfishBehaviour.normalize(
            root.path("Tasks").path("@odata.id").asString("/redfish/v1/TaskService"));
    ObjectNode node = sim.resources.get(service);
    String tasks = node == null ? "" : node.path("Tasks").path("@odata.id").asString("");
    String path = RedfishBehaviour.normalize(tasks.isEmpty() ? service + "/Tasks" : tasks);
    sim.resources.computeIfAbsent(
        path,
        p -> {
          ObjectNode c = Json.mapper().createObjectNode();
          c.put("@odata.id", p);
          c.put("Name", "Task Collection");
          c.putArray("Members");
          return c;
        });
    return path;
  }

  /** The tasks and counters, for the state directory. */
  ObjectNode snapshot() {
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("nextTask", nextTask);
    node.set("tasks", Json.mapper().valueToTree(List.copyOf(tasks.values())));
    node.set("finished", Json.mapper().valueToTree(List.copyOf(finished)));
    return node;
  }

  void restore(JsonNode saved) {
    nextTask = saved.path("nextTask").asInt(nextTask);
    for (JsonNode t : saved.path("tasks")) {
      SimTask task = Json.mapper().treeToValue(t, SimTask.class);
      tasks.put(task.uri(), task);
    }
    saved.path("finished").forEach(f -> finished.add(f.asString()));
  }
}
