package dev.opsflow.hardware.maas.testing;

import dev.opsflow.hardware.maas.MaasStatus;
import dev.opsflow.workflow.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a {@link MaasSimulator} keeps in its state directory: the machines (with the timeline of an
 * operation in progress, so it goes on after a restart), tags, zones, pools, devices and the API
 * key's secret. Nonces are not kept: a restarted MAAS has forgotten them too. Called under the
 * simulator's lock.
 */
final class MaasState {
  private MaasState() {}

  static ObjectNode snapshot(MaasSimulator sim) {
    ObjectNode s = Json.mapper().createObjectNode();
    s.put("version", 1);
    s.put("tokenSecret", sim.tokenSecret());
    s.put("nextIndex", sim.nextIndex);
    s.put("nextStorageId", sim.nextStorageId);
    s.set("tags", Json.mapper().valueToTree(sim.tags));
    s.set("zones", Json.mapper().valueToTree(sim.zones));
    ObjectNode pools = s.putObject("pools");
    sim.pools.forEach((id, p) -> pools.putArray(String.valueOf(id)).add(p[0]).add(p[1]));
    s.set("devices", Json.mapper().valueToTree(sim.devices));
    ArrayNode machines = s.putArray("machines");
    for (SimulatedMachine m : sim.machines.values()) {
      ObjectNode j = machines.addObject();
      j.put("systemId", m.systemId);
      j.put("hostname", m.hostname);
      j.put("index", m.index);
      j.put("status", m.status.code());
      j.put("statusMessage", m.statusMessage);
      j.put("powerState", m.powerState);
      j.put("powerType", m.powerType);
      j.set("powerParameters", Json.mapper().valueToTree(m.powerParameters));
      j.put("owner", m.owner);
      j.set("ownerData", Json.mapper().valueToTree(m.ownerData));
      j.put("osystem", m.osystem);
      j.put("distroSeries", m.distroSeries);
      j.put("hweKernel", m.hweKernel);
      j.put("description", m.description);
      j.put("zone", m.zone);
      j.put("pool", m.pool);
      j.put("architecture", m.architecture);
      j.put("cpuCount", m.cpuCount);
      j.put("memory", m.memory);
      j.put("netboot", m.netboot);
      j.put("locked", m.locked);
      j.put("commissioned", m.commissioned);
      j.set("tags", Json.mapper().valueToTree(m.tags));
      j.set("ipAddresses", Json.mapper().valueToTree(m.ipAddresses));
      j.put("observedAddress", m.observedAddress);
      j.put("failCommissioning", m.failCommissioning);
      j.put("failTesting", m.failTesting);
      j.put("failDeployment", m.failDeployment);
      j.put("startedAt", m.startedAt == null ? null : m.startedAt.toString());
      j.set("storage", MaasStorageState.snapshot(m.storage));
      ArrayNode links = j.putArray("links");
      m.links.forEach(
          l -> links.addObject().put("id", l.id()).put("mode", l.mode()).put("ip", l.ip()));
      ArrayNode plan = j.putArray("plan");
      m.plan.forEach(
          p ->
              plan.addObject()
                  .put("at", p.at().toString())
                  .put("status", p.status())
                  .put("message", p.message()));
    }
    return s;
  }

  static void restore(JsonNode s, MaasSimulator sim) {
    sim.nextIndex = s.path("nextIndex").asInt(1);
    sim.nextStorageId = s.path("nextStorageId").asInt(10_000);
    s.path("tags").properties().forEach(e -> sim.tags.put(e.getKey(), e.getValue().asString()));
    sim.zones.clear();
    s.path("zones").properties().forEach(e -> sim.zones.put(e.getKey(), e.getValue().asString()));
    sim.zones.putIfAbsent("default", "");
    s.path("pools")
        .properties()
        .forEach(
            e ->
                sim.pools.put(
                    Integer.parseInt(e.getKey()),
                    new String[] {e.getValue().get(0).asString(), e.getValue().get(1).asString()}));
    s.path("devices")
        .properties()
        .forEach(
            e -> {
              @SuppressWarnings("unchecked")
              Map<String, Object> device =
                  Json.mapper().convertValue(e.getValue(), LinkedHashMap.class);
              sim.devices.put(e.getKey(), device);
            });
    for (JsonNode j : s.path("machines")) {
      var m =
          new SimulatedMachine(
              j.path("systemId").asString(),
              j.path("hostname").asString(),
              j.path("index").asInt());
      m.status = MaasStatus.fromCode(j.path("status").asInt()).orElse(MaasStatus.NEW);
      m.statusMessage = j.path("statusMessage").asString("");
      m.powerState = j.path("powerState").asString("off");
      m.powerType = j.path("powerType").asString("ipmi");
      m.powerParameters.clear();
      j.path("powerParameters")
          .properties()
          .forEach(e -> m.powerParameters.put(e.getKey(), e.getValue().asString()));
      m.owner = text(j, "owner");
      j.path("ownerData")
          .properties()
          .forEach(e -> m.ownerData.put(e.getKey(), e.getValue().asString()));
      m.osystem = j.path("osystem").asString("");
      m.distroSeries = j.path("distroSeries").asString("");
      m.hweKernel = text(j, "hweKernel");
      m.description = j.path("description").asString("");
      m.zone = j.path("zone").asString("default");
      m.pool = j.path("pool").asInt(0);
      m.architecture = j.path("architecture").asString("amd64/generic");
      m.cpuCount = j.path("cpuCount").asInt(16);
      m.memory = j.path("memory").asLong(65536);
      m.netboot = j.path("netboot").asBoolean(true);
      m.locked = j.path("locked").asBoolean(false);
      m.commissioned = j.path("commissioned").asBoolean(false);
      j.path("tags").forEach(t -> m.tags.add(t.asString()));
      j.path("ipAddresses").forEach(a -> m.ipAddresses.add(a.asString()));
      m.observedAddress = text(j, "observedAddress");
      m.failCommissioning = text(j, "failCommissioning");
      m.failTesting = text(j, "failTesting");
      m.failDeployment = text(j, "failDeployment");
      String started = text(j, "startedAt");
      m.startedAt = started == null ? null : Instant.parse(started);
      if (j.has("storage")) {
        MaasStorageState.restore(j.path("storage"), m.storage);
      }
      if (j.has("links")) {
        m.links.clear();
        j.path("links")
            .forEach(
                l ->
                    m.links.add(
                        new MaasNetworking.Link(
                            l.path("id").asInt(), l.path("mode").asString(), text(l, "ip"))));
      }
      for (JsonNode p : j.path("plan")) {
        m.plan.add(
            new SimulatedMachine.Milestone(
                Duration.parse(p.path("at").asString()),
                p.path("status").asInt(),
                p.path("message").asString("")));
      }
      sim.machines.put(m.systemId, m);
    }
  }

  private static String text(JsonNode j, String field) {
    JsonNode v = j.get(field);
    return v == null || v.isNull() ? null : v.asString();
  }
}
