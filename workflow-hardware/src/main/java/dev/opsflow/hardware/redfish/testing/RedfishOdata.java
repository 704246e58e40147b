package dev.opsflow.hardware.redfish.testing;

import dev.opsflow.workflow.Json;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OData parts of the {@link RedfishSimulator}: the {@code $metadata} CSDL document (made from
 * the resources' types when the mockup has none) and the OData service document; {@link
 * RedfishQuery} has the query parameters.
 */
final class RedfishOdata {
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
}
