package dev.opsflow.redis.enterprise.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A simulated asynchronous action whose status is a function of the time since it was created:
 * {@code queued} for a second, then {@code running} with growing progress, then {@code completed}
 * or {@code failed} (or {@code running} forever when stuck).
 */
final class SimulatedAction {
  private static final Duration QUEUED = Duration.ofSeconds(1);

  final String uid;
  final String name;
  final String objectName;
  final Instant created;
  final Duration duration;
  final Faults.ActionFault fault;

  /** Listed under {@code state-machines} (no {@code progress}) rather than {@code actions}. */
  boolean stateMachine;

  String nodeUid = "1";

  SimulatedAction(
      String uid,
      String name,
      String objectName,
      Instant created,
      Duration duration,
      Faults.ActionFault fault) {
    this.uid = uid;
    this.name = name;
    this.objectName = objectName;
    this.created = created;
    this.duration = duration;
    this.fault = fault;
  }

  String status(Instant now) {
    Duration elapsed = Duration.between(created, now);
    if (elapsed.compareTo(QUEUED) < 0) {
      return "queued";
    }
    if ((fault != null && fault.neverEnds()) || elapsed.compareTo(duration) < 0) {
      return "running";
    }
    return fault != null ? "failed" : "completed";
  }

  int progress(Instant now) {
    String status = status(now);
    if (status.equals("completed") || status.equals("failed")) {
      return 100;
    }
    long total = Math.max(1, duration.toMillis());
    long percent = Duration.between(created, now).toMillis() * 100 / total;
    return (int) Math.max(0, Math.min(95, percent));
  }

  boolean terminal(Instant now) {
    String status = status(now);
    return status.equals("completed") || status.equals("failed");
  }

  /** Marks it as a state machine (how a real cluster lists bdb creations and upgrades). */
  SimulatedAction asStateMachine() {
    this.stateMachine = true;
    return this;
  }

  SimulatedAction onNode(int uid) {
    this.nodeUid = Integer.toString(uid);
    return this;
  }

  boolean failed(Instant now) {
    return status(now).equals("failed");
  }

  boolean completed(Instant now) {
    return status(now).equals("completed");
  }

  Map<String, Object> toJson(Instant now) {
    var json = new LinkedHashMap<String, Object>();
    json.put("action_uid", uid);
    json.put("name", name);
    json.put("object_name", objectName);
    json.put("node_uid", nodeUid);
    String status = status(now);
    json.put("status", status);
    if (stateMachine) {
      json.put("state", terminal(now) ? status : "active");
      json.put("heartbeat", Long.toString(Math.max(0, now.getEpochSecond())));
      json.put("pending_ops", Map.of());
    } else {
      json.put("progress", Integer.toString(progress(now)));
    }
    json.put("creation_time", Long.toString(created.getEpochSecond()));
    if (status.equals("failed")) {
      json.put("error_code", fault.errorCode());
      json.put("message", fault.message());
    }
    return json;
  }
}
