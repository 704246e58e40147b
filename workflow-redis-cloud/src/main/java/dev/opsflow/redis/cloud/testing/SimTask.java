package dev.opsflow.redis.cloud.testing;

import java.time.Duration;
import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A task of the simulated account. Its times are fixed when it is created (the account runs one
 * task at a time, so it starts when the previous one ends); its status is a function of the clock.
 * Guarded by the {@link CloudState} lock.
 */
final class SimTask {
  /** What the task does when it completes; returns the resource id. */
  interface Effect {
    Long apply(Instant at, SimTask self);
  }

  final String id;
  final String commandType;
  final Instant created;
  final Instant start;
  final Instant end;
  final boolean stuck;
  final Effect effect;
  final ErrorSpec error;
  Long resourceId;
  JsonNode resource;
  boolean applied;

  /** How a task fails: code, status and description, sent as an object or as a string. */
  record ErrorSpec(String code, String status, String description, boolean asString) {}

  SimTask(
      String id,
      String commandType,
      Instant created,
      Instant start,
      Duration duration,
      boolean stuck,
      Effect effect,
      ErrorSpec error,
      Long resourceId) {
    this.id = id;
    this.commandType = commandType;
    this.created = created;
    this.start = start;
    this.end = start.plus(duration);
    this.stuck = stuck;
    this.effect = effect;
    this.error = error;
    this.resourceId = resourceId;
  }

  String status(Instant now) {
    if (now.isBefore(created.plusMillis(500))) {
      return "initialized";
    }
    if (now.isBefore(start)) {
      return "received";
    }
    if (stuck || now.isBefore(end)) {
      return "processing-in-progress";
    }
    return error != null ? "processing-error" : "processing-completed";
  }

  ObjectNode toJson(Instant now) {
    var f = JsonNodeFactory.instance;
    String status = status(now);
    ObjectNode task = f.objectNode();
    task.put("taskId", id);
    task.put("commandType", commandType);
    task.put("status", status);
    task.put("description", describe(status));
    task.put("timestamp", (now.isBefore(end) ? now : end).toString());
    ObjectNode response = f.objectNode();
    if (status.equals("processing-completed")) {
      if (resourceId != null) {
        response.put("resourceId", resourceId);
      }
      if (resource != null) {
        response.set("resource", resource);
      }
    } else if (status.equals("processing-error")) {
      if (error.asString()) {
        response.put("error", error.code());
      } else {
        ObjectNode e = response.putObject("error");
        e.put("type", error.code());
        e.put("status", error.status());
        e.put("description", error.description());
      }
    }
    task.set("response", response);
    task.putArray("links")
        .addObject()
        .put("rel", "self")
        .put("href", "/v1/tasks/" + id)
        .put("type", "GET");
    return task;
  }

  private String describe(String status) {
    return switch (status) {
      case "initialized", "received" -> "Task request received and is being queued for processing.";
      case "processing-in-progress" -> "Task is being processed.";
      case "processing-completed" -> "Request processing completed successfully.";
      default ->
          "Task request failed during processing. See error information for failure details.";
    };
  }
}
