package dev.opsflow.hardware.redfish.testing;

import dev.opsflow.hardware.redfish.testing.RedfishSimulator.Answer;
import dev.opsflow.workflow.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
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

  /** An update task: its timeline and outcome. */
  private record SimTask(
      String uri,
      String monitor,
      Instant started,
      Duration duration,
      String failure,
      List<String> targets,
      String version) {}

  private final RedfishSimulator sim;
  private final Map<String, SimTask> tasks = new LinkedHashMap<>();
  private final Set<String> finished = new java.util.HashSet<>();
  String updateFailure;
  boolean updatesStuck;
  boolean monitorsDeletedWhenDone;
  Duration updateDuration = Duration.ofMinutes(3);
  private int nextTask = 1000;

  RedfishBehaviour(RedfishSimulator sim) {
    this.sim = sim;
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
    SimTask monitored =
        tasks.values().stream().filter(t -> t.monitor().equals(path)).findFirst().orElse(null);
    if (monitored != null && method.equals("GET")) {
      ObjectNode task = sim.resources.get(monitored.uri());
      boolean done = finished.contains(monitored.uri());
      if (done && monitorsDeletedWhenDone) {
        return missing(path);
      }
      return new Answer(
          done ? 200 : 202,
          task,
          done ? Map.of() : Map.of("Location", monitored.monitor(), "Retry-After", "5"));
    }
    ObjectNode resource = sim.resources.get(path);
    switch (method) {
      case "GET" -> {
        return resource == null ? missing(path) : get(path);
      }
      case "PATCH" -> {
        return resource == null ? missing(path) : patch(path, resource, body, ifMatch);
      }
      case "POST" -> {
        return action(path, body);
      }
      default -> {
        return RedfishSimulator.error(
            405, "OperationNotAllowed", method + " is not allowed on " + path);
      }
    }
  }

  Answer get(String path) {
    ObjectNode resource = sim.resources.get(path);
    return new Answer(200, resource, Map.of("ETag", etag(resource)));
  }

  private static Answer missing(String path) {
    return RedfishSimulator.error(
        404, "ResourceMissingAtURI", "The resource at the URI " + path + " was not found.");
  }

  static String etag(JsonNode resource) {
    byte[] bytes = Json.mapper().writeValueAsBytes(resource);
    int h = java.util.Arrays.hashCode(bytes);
    return "W/\"" + HexFormat.of().toHexDigits(h) + "\"";
  }

  private Answer patch(String path, ObjectNode resource, String body, String ifMatch) {
    boolean settingsObject = biosFor(path) != null;
    boolean bmcNic = path.contains("/Managers/") && path.contains("/EthernetInterfaces/");
    boolean system = resource.path("@odata.type").asString("").contains("ComputerSystem.");
    if (!settingsObject && !bmcNic && !system) {
      return RedfishSimulator.error(405, "OperationNotAllowed", "PATCH is not allowed on " + path);
    }
    if (ifMatch == null) {
      return RedfishSimulator.error(
          428,
          "PreconditionRequired",
          "A precondition header (If-Match) is required for PATCH on " + path + ".");
    }
    String current = etag(resource);
    if (!ifMatch.equals(current) && !ifMatch.equals(current.substring(2))) {
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
    if (system) {
      return patchBoot(resource, changes);
    }
    return settingsObject ? patchBios(path, resource, changes) : patchNic(resource, changes);
  }

  private Answer patchBoot(ObjectNode system, JsonNode changes) {
    JsonNode boot = changes.path("Boot");
    var unknown = new java.util.ArrayList<String>();
    changes
        .propertyNames()
        .forEach(
            n -> {
              if (!n.equals("Boot")) {
                unknown.add(n);
              }
            });
    if (!unknown.isEmpty()) {
      return RedfishSimulator.error(
          400,
          "PropertyNotWritable",
          "The property "
              + unknown.get(0)
              + " is a read only property and cannot be assigned"
              + " a value.");
    }
    JsonNode allowed = system.path("Boot").path("BootSourceOverrideTarget@Redfish.AllowableValues");
    String target = boot.path("BootSourceOverrideTarget").asString(null);
    if (target != null
        && !allowed.isMissingNode()
        && allowed.valueStream().noneMatch(v -> v.asString().equals(target))) {
      return RedfishSimulator.error(
          400,
          "PropertyValueNotInList",
          "The value "
              + target
              + " for the property BootSourceOverrideTarget is not in the list of acceptable values.");
    }
    ObjectNode current =
        system.has("Boot") ? (ObjectNode) system.get("Boot") : system.putObject("Boot");
    boot.properties().forEach(e -> current.set(e.getKey(), e.getValue().deepCopy()));
    return Answer.of(204);
  }

  private Answer patchBios(String path, ObjectNode settings, JsonNode changes) {
    ObjectNode bios = biosFor(path);
    JsonNode known = bios.path("Attributes");
    for (var name : changes.path("Attributes").propertyNames()) {
      if (!known.has(name)) {
        return RedfishSimulator.error(
            400,
            "PropertyUnknown",
            "The property " + name + " is not in the list of valid properties for the resource.");
      }
    }
    ObjectNode attributes =
        settings.has("Attributes")
            ? (ObjectNode) settings.get("Attributes")
            : settings.putObject("Attributes");
    changes.path("Attributes").properties().forEach(e -> attributes.set(e.getKey(), e.getValue()));
    String applyTime =
        changes.path("@Redfish.SettingsApplyTime").path("ApplyTime").asString("OnReset");
    if (applyTime.equals("Immediate")) {
      apply(bios, settings);
    }
    return Answer.of(204);
  }

  private Answer patchNic(ObjectNode nic, JsonNode changes) {
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
    return Answer.of(204);
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

  private static void apply(ObjectNode bios, ObjectNode settings) {
    ObjectNode attributes = (ObjectNode) bios.get("Attributes");
    settings
        .path("Attributes")
        .properties()
        .forEach(e -> attributes.set(e.getKey(), e.getValue().deepCopy()));
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
          return switch (entry.getKey()) {
            case "#ComputerSystem.Reset" -> reset(node, entry.getValue(), params);
            case "#UpdateService.SimpleUpdate" -> simpleUpdate(params);
            default -> Answer.of(204);
          };
        }
      }
    }
    return RedfishSimulator.error(
        404, "ResourceMissingAtURI", "No action has the target " + path + ".");
  }

  private Answer reset(ObjectNode system, JsonNode action, JsonNode params) {
    String type = params.path("ResetType").asString("");
    JsonNode allowed = action.path("ResetType@Redfish.AllowableValues");
    boolean ok =
        allowed.isMissingNode()
            ? !type.isEmpty()
            : allowed.valueStream().anyMatch(v -> v.asString().equals(type));
    if (!ok) {
      return RedfishSimulator.error(
          400,
          "ActionParameterValueNotInList",
          "The value "
              + type
              + " for the parameter ResetType is not in the list of acceptable"
              + " values.");
    }
    if (POWER_OFF.contains(type)
        || type.equals("PushPowerButton") && system.path("PowerState").asString().equals("On")) {
      system.put("PowerState", "Off");
    } else if (BOOTS.contains(type)) {
      system.put("PowerState", "On");
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
    }
    return Answer.of(204);
  }

  private Answer simpleUpdate(JsonNode params) {
    String image = params.path("ImageURI").asString("");
    if (image.isEmpty()) {
      return RedfishSimulator.error(
          400,
          "ActionParameterMissing",
          "The action SimpleUpdate requires the parameter ImageURI to be present.");
    }
    var targets = new java.util.ArrayList<String>();
    params.path("Targets").forEach(t -> targets.add(normalize(t.asString())));
    String tasksPath = tasksCollection();
    String id = String.valueOf(nextTask++);
    String uri = tasksPath + "/" + id;
    String monitor = normalize(tasksPath.replaceAll("/Tasks$", "")) + "/TaskMonitors/" + id;
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
    node.put("@odata.type", "#Task.v1_7_0.Task");
    node.put("@odata.id", uri);
    node.put("Id", id);
    node.put("Name", "SimpleUpdate " + image);
    node.put("TaskMonitor", monitor);
    node.put("StartTime", task.started().toString());
    node.put("TaskState", "New");
    node.put("TaskStatus", "OK");
    node.put("PercentComplete", 0);
    node.putArray("Messages");
    sim.resources.put(uri, node);
    addMember(tasksPath, uri);
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
        normalize(root.path("Tasks").path("@odata.id").asString("/redfish/v1/TaskService"));
    ObjectNode node = sim.resources.get(service);
    String tasks = node == null ? "" : node.path("Tasks").path("@odata.id").asString("");
    String path = normalize(tasks.isEmpty() ? service + "/Tasks" : tasks);
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
