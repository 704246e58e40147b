package dev.opsflow.hardware.redfish.testing;

import dev.opsflow.hardware.redfish.testing.RedfishSimulator.Answer;
import dev.opsflow.workflow.Json;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** GET, PATCH and actions of the {@link RedfishSimulator}; called under its lock. */
final class RedfishBehaviour {
  private static final Set<String> POWER_OFF = Set.of("ForceOff", "GracefulShutdown");
  private static final Set<String> BOOTS =
      Set.of("On", "ForceOn", "ForceRestart", "GracefulRestart", "PowerCycle", "PushPowerButton");

  private final RedfishSimulator sim;
  final RedfishUpdates updates;

  RedfishBehaviour(RedfishSimulator sim) {
    this.sim = sim;
    this.updates = new RedfishUpdates(sim, this);
  }

  static String normalize(String path) {
    String p = path;
    while (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  String sessionsPath() {
    ObjectNode root = sim.resources.get("/redfish/v1");
    String link = root.path("Links").path("Sessions").path("@odata.id").asString("");
    if (link.isEmpty()) {
      String service = root.path("SessionService").path("@odata.id").asString("");
      ObjectNode node = sim.resources.get(normalize(service));
      link = node == null ? "" : node.path("Sessions").path("@odata.id").asString("");
    }
    return normalize(link.isEmpty() ? "/redfish/v1/SessionService/Sessions" : link);
  }

  Answer route(String method, String path, String body, String ifMatch) {
    advance();
    Answer monitor = method.equals("GET") ? updates.monitor(path) : null;
    if (monitor != null) {
      return monitor;
    }
    ObjectNode resource = sim.resources.get(path);
    if (resource == null && !method.equals("POST")) {
      return missing(path);
    }
    switch (method) {
      case "GET" -> {
        return get(path);
      }
      case "PATCH" -> {
        return patch(path, resource, body, ifMatch);
      }
      case "POST" -> {
        return action(path, body);
      }
      default -> {
        return RedfishHttp.notAllowed(method, path, allow(path, resource));
      }
    }
  }

  /** The methods a resource takes, for the Allow header of a 405. */
  private String allow(String path, ObjectNode resource) {
    return patchable(path, resource) ? "GET, HEAD, PATCH" : "GET, HEAD";
  }

  private boolean patchable(String path, ObjectNode resource) {
    return biosFor(path) != null
        || path.contains("/Managers/") && path.contains("/EthernetInterfaces/")
        || resource.path("@odata.type").asString("").contains("ComputerSystem.");
  }

  Answer get(String path) {
    ObjectNode resource = sim.resources.get(path);
    String etag = etag(resource);
    if (resource.has("@odata.etag")) {
      resource = resource.deepCopy();
      resource.put("@odata.etag", etag);
    }
    return new Answer(200, resource, Map.of("ETag", etag));
  }

  static Answer missing(String path) {
    return RedfishSimulator.error(
        404, "ResourceMissingAtURI", "The resource at the URI " + path + " was not found.");
  }

  /** A strong ETag of the resource's content (RFC 9110 8.8.3), {@code @odata.etag} aside. */
  static String etag(JsonNode resource) {
    JsonNode content = resource;
    if (resource.has("@odata.etag")) {
      content = resource.deepCopy();
      ((ObjectNode) content).remove("@odata.etag");
    }
    byte[] bytes = Json.mapper().writeValueAsBytes(content);
    int h = java.util.Arrays.hashCode(bytes);
    return "\"" + HexFormat.of().toHexDigits(h) + "\"";
  }

  /**
   * RFC 9110 13.1.1: {@code *} matches a current representation; otherwise one of the listed entity
   * tags must match by strong comparison (a weak tag never does). No header: no condition.
   */
  static boolean ifMatch(String header, String current) {
    if (header == null || header.strip().equals("*")) {
      return true;
    }
    for (String tag : header.split(",")) {
      if (tag.strip().equals(current)) {
        return true;
      }
    }
    return false;
  }

  private Answer patch(String path, ObjectNode resource, String body, String ifMatch) {
    if (!patchable(path, resource)) {
      return RedfishHttp.notAllowed("PATCH", path, "GET, HEAD");
    }
    // Without If-Match the change is unconditional, as on most BMCs (DSP0266 makes If-Match a
    // client's choice); with one it must match (RFC 9110 13.1.1), '*' matching any.
    if (!ifMatch(ifMatch, etag(resource))) {
      return RedfishSimulator.error(
          412,
          "PreconditionFailed",
          "The ETag supplied did not match the ETag required to change this resource.");
    }
    JsonNode changes;
    try {
      changes = Json.mapper().readTree(body);
    } catch (RuntimeException e) {
      return RedfishSimulator.error(400, "MalformedJSON", "The request body is not valid JSON.");
    }
    if (changes == null || !changes.isObject()) {
      return RedfishSimulator.error(
          400, "MalformedJSON", "The request body must be a JSON object.");
    }
    Answer error;
    if (biosFor(path) != null) {
      error = patchBios(path, resource, changes);
    } else if (resource.path("@odata.type").asString("").contains("ComputerSystem.")) {
      error = patchSystem(resource, changes);
    } else {
      error = patchNic(resource, changes);
    }
    if (error != null) {
      return error;
    }
    return new Answer(200, resource, Map.of("ETag", etag(resource)));
  }

  private Answer patchSystem(ObjectNode system, JsonNode changes) {
    Answer error = RedfishPatches.checkSystem(system, changes);
    if (error != null) {
      return error;
    }
    for (var e : changes.properties()) {
      if (e.getKey().equals("Boot")) {
        ObjectNode boot = (ObjectNode) system.get("Boot");
        e.getValue().properties().forEach(b -> boot.set(b.getKey(), b.getValue().deepCopy()));
      } else if (!e.getKey().startsWith("@odata.")) {
        system.set(e.getKey(), e.getValue().deepCopy());
      }
    }
    return null;
  }

  private Answer patchBios(String path, ObjectNode settings, JsonNode changes) {
    ObjectNode bios = biosFor(path);
    Answer error = RedfishPatches.checkBios(bios.path("Attributes"), registry(bios), changes);
    if (error != null) {
      return error;
    }
    String applyTime =
        changes.path("@Redfish.SettingsApplyTime").path("ApplyTime").asString("OnReset");
    JsonNode supported = bios.path("@Redfish.Settings").path("SupportedApplyTimes");
    boolean allowed =
        supported.isArray()
            ? supported.valueStream().anyMatch(v -> v.asString().equals(applyTime))
            : Set.of("Immediate", "OnReset").contains(applyTime);
    if (!allowed) {
      return RedfishPatches.notInList("@Redfish.SettingsApplyTime/ApplyTime", applyTime);
    }
    ObjectNode attributes =
        settings.has("Attributes")
            ? (ObjectNode) settings.get("Attributes")
            : settings.putObject("Attributes");
    changes.path("Attributes").properties().forEach(e -> attributes.set(e.getKey(), e.getValue()));
    if (applyTime.equals("Immediate")) {
      apply(bios, settings);
    }
    return null;
  }

  /** The attribute registry the Bios names, if the service serves it. */
  private JsonNode registry(ObjectNode bios) {
    String name = bios.path("AttributeRegistry").asString("");
    if (name.isEmpty()) {
      return null;
    }
    for (ObjectNode node : sim.resources.values()) {
      if (node.path("@odata.type").asString("").contains("AttributeRegistry.")
          && name.equals(node.path("Id").asString(node.path("RegistryVersion").asString("")))) {
        return node;
      }
    }
    return null;
  }

  private Answer patchNic(ObjectNode nic, JsonNode changes) {
    for (String name : changes.propertyNames()) {
      if (!Set.of("HostName", "DHCPv4", "IPv4StaticAddresses", "FQDN").contains(name)) {
        return nic.has(name) ? RedfishPatches.notWritable(name) : RedfishPatches.unknown(name);
      }
    }
    if (changes.has("HostName") && !changes.get("HostName").isString()) {
      return RedfishPatches.typeError("HostName", changes.get("HostName"), "a string");
    }
    if (changes.has("IPv4StaticAddresses") && !changes.get("IPv4StaticAddresses").isArray()) {
      return RedfishPatches.typeError(
          "IPv4StaticAddresses", changes.get("IPv4StaticAddresses"), "an array");
    }
    if (changes.has("HostName")) {
      nic.put("HostName", changes.get("HostName").asString());
    }
    if (changes.path("DHCPv4").has("DHCPEnabled")) {
      nic.putObject("DHCPv4")
          .put("DHCPEnabled", changes.path("DHCPv4").path("DHCPEnabled").asBoolean());
    }
    if (changes.has("IPv4StaticAddresses")) {
      nic.set("IPv4StaticAddresses", changes.get("IPv4StaticAddresses").deepCopy());
    }
    if (!nic.path("DHCPv4").path("DHCPEnabled").asBoolean(true)) {
      ArrayNode inUse = nic.putArray("IPv4Addresses");
      nic.path("IPv4StaticAddresses")
          .forEach(
              a -> {
                ObjectNode copy = ((ObjectNode) a).deepCopy();
                copy.put("AddressOrigin", "Static");
                inUse.add(copy);
              });
    }
    return null;
  }

  /** The Bios resource whose SettingsObject is {@code path}, or null. */
  private ObjectNode biosFor(String path) {
    for (ObjectNode node : sim.resources.values()) {
      String settings =
          node.path("@Redfish.Settings").path("SettingsObject").path("@odata.id").asString("");
      if (!settings.isEmpty()
          && normalize(settings).equals(path)
          && node.path("@odata.type").asString("").contains("Bios")) {
        return node;
      }
    }
    return null;
  }

  /**
   * Applies the pending settings to the Bios and empties them, as a BMC does once it has applied
   * them (so the next reset applies nothing), recording the time in {@code @Redfish.Settings}.
   */
  private void apply(ObjectNode bios, ObjectNode settings) {
    ObjectNode attributes = (ObjectNode) bios.get("Attributes");
    JsonNode pending = settings.path("Attributes");
    if (pending.isEmpty()) {
      return;
    }
    pending.properties().forEach(e -> attributes.set(e.getKey(), e.getValue().deepCopy()));
    settings.putObject("Attributes");
    if (bios.get("@Redfish.Settings") instanceof ObjectNode meta) {
      meta.put("Time", sim.clock().instant().toString());
      meta.putArray("Messages")
          .addObject()
          .put("MessageId", "Base.1.8.Success")
          .put("Message", "The pending settings were applied.")
          .put("Severity", "OK");
    }
  }

  private Answer action(String path, String body) {
    for (ObjectNode node : sim.resources.values()) {
      JsonNode actions = node.path("Actions");
      for (var entry : actions.properties()) {
        if (normalize(entry.getValue().path("target").asString("")).equals(path)) {
          JsonNode params;
          try {
            params =
                body.isBlank() ? Json.mapper().createObjectNode() : Json.mapper().readTree(body);
          } catch (RuntimeException e) {
            return RedfishSimulator.error(400, "MalformedJSON", "The body is not valid JSON.");
          }
          if (!params.isObject()) {
            return RedfishSimulator.error(
                400, "MalformedJSON", "The request body must be a JSON object.");
          }
          return switch (entry.getKey()) {
            case "#ComputerSystem.Reset" -> reset(node, entry.getValue(), params);
            case "#UpdateService.SimpleUpdate" -> updates.simpleUpdate(params);
            default -> Answer.of(204);
          };
        }
      }
    }
    return RedfishSimulator.error(
        404, "ResourceMissingAtURI", "No action has the target " + path + ".");
  }

  private Answer reset(ObjectNode system, JsonNode action, JsonNode params) {
    if (!params.has("ResetType")) {
      return RedfishSimulator.error(
          400,
          "ActionParameterMissing",
          "The action ComputerSystem.Reset requires the parameter ResetType to be present in the"
              + " request body.");
    }
    String type = params.path("ResetType").asString("");
    List<String> allowed = resetTypes(action);
    if (!allowed.contains(type)) {
      return RedfishSimulator.error(
          400,
          "ActionParameterValueNotInList",
          "The value "
              + params.get("ResetType")
              + " for the parameter ResetType in the action ComputerSystem.Reset is not in the list"
              + " of acceptable values "
              + allowed
              + ".");
    }
    if (POWER_OFF.contains(type)
        || type.equals("PushPowerButton") && system.path("PowerState").asString().equals("On")) {
      system.put("PowerState", "Off");
    } else if (BOOTS.contains(type)) {
      system.put("PowerState", "On");
      booted(system);
    }
    return Answer.of(204);
  }

  /**
   * The reset types the action takes: its ActionInfo's ResetType parameter when it has one, else
   * its {@code @Redfish.AllowableValues}, else every value of the schema's ResetType.
   */
  private List<String> resetTypes(JsonNode action) {
    String info = action.path("@Redfish.ActionInfo").asString("");
    ObjectNode actionInfo = info.isEmpty() ? null : sim.resources.get(normalize(info));
    if (actionInfo != null) {
      for (JsonNode p : actionInfo.path("Parameters")) {
        if (p.path("Name").asString("").equals("ResetType") && p.has("AllowableValues")) {
          return p.get("AllowableValues").valueStream().map(JsonNode::asString).toList();
        }
      }
    }
    JsonNode listed = action.path("ResetType@Redfish.AllowableValues");
    if (listed.isArray()) {
      return listed.valueStream().map(JsonNode::asString).toList();
    }
    return List.of(
        "On",
        "ForceOff",
        "GracefulShutdown",
        "GracefulRestart",
        "ForceRestart",
        "Nmi",
        "ForceOn",
        "PushPowerButton",
        "PowerCycle",
        "Suspend",
        "Pause",
        "Resume",
        "FullPowerCycle");
  }

  /**
   * What a boot does: pending BIOS settings are applied (and cleared), and a {@code Once} boot
   * override is used up (Enabled goes back to Disabled, as the schema describes).
   */
  private void booted(ObjectNode system) {
    String biosUri = system.path("Bios").path("@odata.id").asString("");
    ObjectNode bios = sim.resources.get(normalize(biosUri));
    if (bios != null) {
      String settingsUri =
          bios.path("@Redfish.Settings").path("SettingsObject").path("@odata.id").asString("");
      ObjectNode settings = sim.resources.get(normalize(settingsUri));
      if (settings != null) {
        apply(bios, settings);
      }
    }
    if (system.get("Boot") instanceof ObjectNode boot
        && boot.path("BootSourceOverrideEnabled").asString("").equals("Once")) {
      boot.put("BootSourceOverrideEnabled", "Disabled");
      boot.put("BootSourceOverrideTarget", "None");
    }
  }

  /** Moves every update task along its timeline. */
  void advance() {
    updates.advance();
  }

  void addMember(String collection, String member) {
    ObjectNode c = sim.resources.get(collection);
    if (c == null) {
      return;
    }
    ArrayNode members = c.has("Members") ? (ArrayNode) c.get("Members") : c.putArray("Members");
    members.addObject().put("@odata.id", member);
    c.put("Members@odata.count", members.size());
  }

  void removeMember(String collection, String member) {
    ObjectNode c = sim.resources.get(collection);
    if (c == null || !c.has("Members")) {
      return;
    }
    ArrayNode members = (ArrayNode) c.get("Members");
    for (int i = members.size() - 1; i >= 0; i--) {
      if (normalize(members.get(i).path("@odata.id").asString("")).equals(member)) {
        members.remove(i);
      }
    }
    c.put("Members@odata.count", members.size());
  }
}
