package dev.opsflow.hardware.redfish.testing;

import dev.opsflow.hardware.redfish.testing.RedfishSimulator.Answer;
import dev.opsflow.workflow.Json;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OData parts of the {@link RedfishSimulator}: the {@code $metadata} CSDL document (made from
 * the resources' types when the mockup has none), the OData service document and the query
 * parameters DSP0266 defines that the simulator supports ({@code $expand} with {@code $levels},
 * {@code only}); any other {@code $} parameter answers 501 as DSP0266 requires.
 */
final class RedfishOdata {
  private static final Pattern EXPAND = Pattern.compile("([*.~])(?:\\(\\$levels=(\\d+)\\))?");
  static final int MAX_LEVELS = 6;

  private RedfishOdata() {}

  /** A CSDL document referencing DMTF's schema of every namespace the resources use. */
  static String metadata(Map<String, ObjectNode> resources) {
    var namespaces = new TreeMap<String, TreeSet<String>>();
    for (ObjectNode r : resources.values()) {
      String type = r.path("@odata.type").asString("");
      if (type.startsWith("#") && type.indexOf('.') > 0) {
        String ns = type.substring(1, type.lastIndexOf('.'));
        String base = ns.contains(".") ? ns.substring(0, ns.indexOf('.')) : ns;
        namespaces.computeIfAbsent(base, k -> new TreeSet<>()).add(ns);
      }
    }
    var b = new StringBuilder();
    b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    b.append(
        "<edmx:Edmx xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\" Version=\"4.0\">\n");
    namespaces.forEach(
        (base, all) -> {
          b.append("  <edmx:Reference Uri=\"http://redfish.dmtf.org/schemas/v1/")
              .append(base)
              .append("_v1.xml\">\n");
          b.append("    <edmx:Include Namespace=\"").append(base).append("\"/>\n");
          all.stream()
              .filter(ns -> !ns.equals(base))
              .forEach(
                  ns -> b.append("    <edmx:Include Namespace=\"").append(ns).append("\"/>\n"));
          b.append("  </edmx:Reference>\n");
        });
    String root =
        resources
            .get("/redfish/v1")
            .path("@odata.type")
            .asString("#ServiceRoot.v1_0_0.ServiceRoot");
    String rootNs = root.substring(1, root.lastIndexOf('.'));
    b.append("  <edmx:DataServices>\n");
    b.append(
        "    <Schema xmlns=\"http://docs.oasis-open.org/odata/ns/edm\" Namespace=\"Service\">\n");
    b.append("      <EntityContainer Name=\"Service\" Extends=\"")
        .append(rootNs)
        .append(".ServiceContainer\"/>\n");
    b.append("    </Schema>\n  </edmx:DataServices>\n</edmx:Edmx>\n");
    return b.toString();
  }

  /** The OData service document: the service root and its top-level links. */
  static ObjectNode serviceDocument(Map<String, ObjectNode> resources) {
    ObjectNode doc = Json.mapper().createObjectNode();
    doc.put("@odata.context", "/redfish/v1/$metadata");
    ArrayNode value = doc.putArray("value");
    value.addObject().put("name", "Service").put("kind", "Singleton").put("url", "/redfish/v1/");
    resources
        .get("/redfish/v1")
        .properties()
        .forEach(
            e -> {
              String link = e.getValue().path("@odata.id").asString("");
              if (!e.getKey().equals("Links") && !link.isEmpty()) {
                value.addObject().put("name", e.getKey()).put("kind", "Singleton").put("url", link);
              }
            });
    return doc;
  }

  /** Applies the query to a GET's answer (200 with a resource). */
  static Answer query(RedfishSimulator sim, String path, Answer answer, String rawQuery) {
    JsonNode body = (JsonNode) answer.body();
    String expand = null;
    boolean only = false;
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name =
          URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      switch (name) {
        case "$expand" -> expand = value;
        case "only" -> only = true;
        default -> {
          if (name.startsWith("$")) {
            return RedfishSimulator.error(
                501,
                "QueryNotSupported",
                "Querying is not supported by the implementation: " + name + ".");
          }
          // DSP0266: other query parameters are ignored.
        }
      }
    }
    if (only && body.has("Members")) {
      if (body.path("Members").size() != 1) {
        return answer;
      }
      String member = body.path("Members").get(0).path("@odata.id").asString("");
      Answer single = sim.behaviour.route("GET", RedfishBehaviour.normalize(member), "", null);
      return single;
    }
    if (expand == null) {
      return answer;
    }
    Matcher m = EXPAND.matcher(expand);
    if (!m.matches()) {
      return RedfishSimulator.error(
          400,
          "QueryParameterValueFormatError",
          "The value "
              + expand
              + " for the parameter $expand is of a different format than the parameter can accept;"
              + " expected *, . or ~ with an optional ($levels=N).");
    }
    int levels = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
    if (levels < 1 || levels > MAX_LEVELS) {
      return RedfishSimulator.error(
          400,
          "QueryParameterOutOfRange",
          "The value "
              + levels
              + " for the query parameter $levels is out of range 1 to "
              + MAX_LEVELS
              + ".");
    }
    ObjectNode copy = ((ObjectNode) body).deepCopy();
    expand(sim, copy, m.group(1).charAt(0), levels, false);
    return new Answer(200, copy, answer.headers());
  }

  /** Replaces references ({@code {"@odata.id": X}} alone) under {@code node} by X's resource. */
  private static void expand(
      RedfishSimulator sim, JsonNode node, char mode, int levels, boolean inLinks) {
    if (levels == 0) {
      return;
    }
    if (node instanceof ObjectNode object) {
      for (var name : new java.util.ArrayList<>(object.propertyNames())) {
        JsonNode child = object.get(name);
        boolean links = inLinks || name.equals("Links");
        JsonNode replaced = resolve(sim, child, mode, links);
        if (replaced != null) {
          object.set(name, replaced);
          expand(sim, replaced, mode, levels - 1, false);
        } else if (child.isContainer()) {
          expand(sim, child, mode, levels, links);
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        JsonNode replaced = resolve(sim, array.get(i), mode, inLinks);
        if (replaced != null) {
          array.set(i, replaced);
          expand(sim, replaced, mode, levels - 1, false);
        } else if (array.get(i).isContainer()) {
          expand(sim, array.get(i), mode, levels, inLinks);
        }
      }
    }
  }

  private static JsonNode resolve(RedfishSimulator sim, JsonNode child, char mode, boolean links) {
    boolean wanted = mode == '*' || (mode == '.' && !links) || (mode == '~' && links);
    if (!wanted || !(child instanceof ObjectNode ref) || ref.size() != 1 || !ref.has("@odata.id")) {
      return null;
    }
    ObjectNode target =
        sim.resources.get(RedfishBehaviour.normalize(ref.get("@odata.id").asString()));
    return target == null ? null : target.deepCopy();
  }
}
