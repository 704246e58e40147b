package dev.opsflow.redis.cloud.testing;

import dev.opsflow.redis.cloud.testing.CloudState.Db;
import dev.opsflow.redis.cloud.testing.CloudState.RegionInfo;
import dev.opsflow.redis.cloud.testing.CloudState.Sub;
import dev.opsflow.workflow.testing.RedisEndpoint;
import java.time.Duration;
import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a {@link RedisCloudSimulator} keeps in its state directory: the account's subscriptions,
 * databases (with their passwords and the ports of their endpoints, which restart on the same ports
 * when free), peerings and tasks. A task's effect is code, not data: one still in flight when the
 * simulator stopped ends in {@code processing-error} after a restart, saying so, rather than
 * pretending to complete. Called with the state's lock held.
 */
final class CloudPersistence {
  static final String RESTARTED =
      "The simulator restarted while this task was in progress; its effect was lost. Send the"
          + " request again.";

  private CloudPersistence() {}

  static ObjectNode snapshot(CloudState state) {
    ObjectNode s = CloudState.F.objectNode();
    s.put("version", 1);
    s.put("ids", state.ids.get());
    s.put("lastEnd", state.lastEnd.equals(Instant.MIN) ? null : state.lastEnd.toString());
    ArrayNode subs = s.putArray("subscriptions");
    for (Sub sub : state.subscriptions.values()) {
      ObjectNode j = subs.addObject();
      j.put("id", sub.id);
      j.put("name", sub.name);
      j.put("fixed", sub.fixed);
      j.put("provider", sub.provider);
      j.put("deploymentType", sub.deploymentType);
      ArrayNode regions = j.putArray("regions");
      sub.regions.forEach(
          r ->
              regions
                  .addObject()
                  .put("regionId", r.regionId())
                  .put("region", r.region())
                  .put("cidr", r.cidr()));
      j.put("paymentMethodId", sub.paymentMethodId);
      j.put("paymentMethod", sub.paymentMethod);
      j.put("memoryStorage", sub.memoryStorage);
      j.put("planId", sub.planId);
      j.put("freePlan", sub.freePlan);
      j.put("activeAt", sub.activeAt.toString());
      ArrayNode busy = j.putArray("busy");
      sub.busy.forEach(b -> busy.addArray().add(b[0].toString()).add(b[1].toString()));
      j.put("deleting", sub.deleting);
      ArrayNode dbs = j.putArray("databases");
      for (Db db : sub.databases.values()) {
        ObjectNode d = dbs.addObject();
        d.put("id", db.id);
        d.put("name", db.name);
        d.set("spec", db.spec);
        d.put("activeAt", db.activeAt.toString());
        d.put("deleting", db.deleting);
        d.put("password", db.password);
        d.put("tls", db.tls);
        ArrayNode ports = d.putArray("ports");
        db.endpoints.forEach(e -> ports.add(e.port()));
      }
      ObjectNode peerings = j.putObject("peerings");
      sub.peerings.forEach((id, p) -> peerings.set(String.valueOf(id), p));
    }
    ArrayNode tasks = s.putArray("tasks");
    for (SimTask t : state.tasks.values()) {
      ObjectNode j = tasks.addObject();
      j.put("id", t.id);
      j.put("commandType", t.commandType);
      j.put("created", t.created.toString());
      j.put("start", t.start.toString());
      j.put("end", t.end.toString());
      j.put("stuck", t.stuck);
      j.put("resourceId", t.resourceId);
      j.set("resource", t.resource);
      boolean lost = t.effect != null && !t.applied;
      SimTask.ErrorSpec error =
          lost
              ? new SimTask.ErrorSpec(
                  "GENERAL_ERROR", "500 INTERNAL_SERVER_ERROR", RESTARTED, false)
              : t.error;
      if (error != null) {
        j.putObject("error")
            .put("code", error.code())
            .put("status", error.status())
            .put("description", error.description())
            .put("asString", error.asString());
      }
    }
    return s;
  }

  static void restore(JsonNode s, CloudState state) {
    state.ids.set(s.path("ids").asLong(state.ids.get()));
    if (s.hasNonNull("lastEnd")) {
      state.lastEnd = Instant.parse(s.get("lastEnd").asString());
    }
    for (JsonNode j : s.path("subscriptions")) {
      var sub = new Sub();
      sub.id = j.path("id").asLong();
      sub.name = j.path("name").asString();
      sub.fixed = j.path("fixed").asBoolean();
      sub.provider = j.path("provider").asString("AWS");
      sub.deploymentType = j.path("deploymentType").asString("single-region");
      j.path("regions")
          .forEach(
              r ->
                  sub.regions.add(
                      new RegionInfo(
                          r.path("regionId").asLong(),
                          r.path("region").asString(),
                          r.path("cidr").asString())));
      sub.paymentMethodId =
          j.hasNonNull("paymentMethodId") ? j.get("paymentMethodId").asLong() : null;
      sub.paymentMethod = j.hasNonNull("paymentMethod") ? j.get("paymentMethod").asString() : null;
      sub.memoryStorage = j.path("memoryStorage").asString("ram");
      sub.planId = j.hasNonNull("planId") ? j.get("planId").asLong() : null;
      sub.freePlan = j.path("freePlan").asBoolean();
      sub.activeAt = Instant.parse(j.path("activeAt").asString());
      j.path("busy")
          .forEach(
              b ->
                  sub.busy.add(
                      new Instant[] {
                        Instant.parse(b.get(0).asString()), Instant.parse(b.get(1).asString())
                      }));
      sub.deleting = j.path("deleting").asBoolean();
      for (JsonNode d : j.path("databases")) {
        var db = new Db();
        db.id = d.path("id").asLong();
        db.name = d.path("name").asString();
        db.spec = (ObjectNode) d.get("spec");
        db.activeAt = Instant.parse(d.path("activeAt").asString());
        db.deleting = d.path("deleting").asBoolean();
        db.password = d.path("password").asString();
        db.tls = d.path("tls").asBoolean();
        for (JsonNode port : d.path("ports")) {
          db.endpoints.add(endpoint(state, db, port.asInt()));
        }
        sub.databases.put(db.id, db);
      }
      j.path("peerings")
          .properties()
          .forEach(e -> sub.peerings.put(Long.parseLong(e.getKey()), (ObjectNode) e.getValue()));
      state.subscriptions.put(sub.id, sub);
    }
    for (JsonNode j : s.path("tasks")) {
      JsonNode e = j.get("error");
      SimTask.ErrorSpec error =
          e == null || e.isNull()
              ? null
              : new SimTask.ErrorSpec(
                  e.path("code").asString(),
                  e.path("status").asString(),
                  e.path("description").asString(),
                  e.path("asString").asBoolean());
      Instant start = Instant.parse(j.path("start").asString());
      var task =
          new SimTask(
              j.path("id").asString(),
              j.path("commandType").asString(),
              Instant.parse(j.path("created").asString()),
              start,
              Duration.between(start, Instant.parse(j.path("end").asString())),
              j.path("stuck").asBoolean(),
              null,
              error,
              j.hasNonNull("resourceId") ? j.get("resourceId").asLong() : null);
      task.resource = j.hasNonNull("resource") ? j.get("resource") : null;
      task.applied = true;
      state.tasks.put(task.id, task);
    }
  }

  /** The database's endpoint again on its port, or on a new one when the port is taken. */
  private static RedisEndpoint endpoint(CloudState state, Db db, int port) {
    var tls =
        db.tls ? dev.opsflow.workflow.testing.SelfSignedCertificate.shared().serverContext() : null;
    try {
      return state.settings.endpoints().start(db.password, tls, port);
    } catch (IllegalStateException taken) {
      return state.settings.endpoints().start(db.password, tls, 0);
    }
  }
}
