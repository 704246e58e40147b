package dev.opsflow.hardware.redfish.testing;

import dev.opsflow.hardware.redfish.testing.RedfishSimulator.Answer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The query parameters of DSP0266 7.3 that the {@link RedfishSimulator} supports, applied in the
 * order the specification sets: {@code $filter} (collections), then {@code only}, {@code $expand}
 * ({@code *}, {@code .}, {@code ~}, {@code ($levels=N)}), {@code $select} (on a collection, to the
 * collection's own properties and to every expanded member). Any other {@code $} parameter answers
 * 501 QueryNotSupported; other parameters are ignored; a malformed value answers 400, a collection
 * parameter on a singular resource 400 QueryNotSupportedOnResource, {@code only} with anything else
 * 400 QueryCombinationInvalid, and a query on an operation other than GET 400
 * QueryNotSupportedOnOperation. The service root advertises exactly this in {@code
 * ProtocolFeaturesSupported} ({@link #advertise}).
 */
final class RedfishQuery {
  static final int MAX_LEVELS = 6;
  private static final Pattern EXPAND = Pattern.compile("([*.~])(?:\\(\\$levels=(\\d+)\\))?");
  private static final Pattern SELECT_ITEM =
      Pattern.compile("\\*|[A-Za-z_@][A-Za-z0-9_@.#]*(/[A-Za-z_@][A-Za-z0-9_@.#]*)*");
  private static final Set<String> SUPPORTED = Set.of("$expand", "$select", "$filter", "only");

  /** Kept by $select whatever it names (DSP0266 7.3.2), and a collection's members. */
  private static final Set<String> ALWAYS =
      Set.of(
          "@odata.id",
          "@odata.type",
          "@odata.context",
          "@odata.etag",
          "Members",
          "Members@odata.count",
          "Members@odata.nextLink");

  private RedfishQuery() {}

  /** Sets the service root's {@code ProtocolFeaturesSupported} to what this class implements. */
  static void advertise(ObjectNode root) {
    ObjectNode features = root.putObject("ProtocolFeaturesSupported");
    features
        .putObject("ExpandQuery")
        .put("ExpandAll", true)
        .put("Levels", true)
        .put("MaxLevels", MAX_LEVELS)
        .put("Links", true)
        .put("NoLinks", true);
    features.put("SelectQuery", true);
    features.put("FilterQuery", true);
    features.put("OnlyMemberQuery", true);
    features.put("ExcerptQuery", false);
  }

  /** The 400 for a query on a PATCH, POST or DELETE, or null when the query has none. */
  static Answer refuseOnOperation(String rawQuery) {
    if (rawQuery == null || parameters(rawQuery).keySet().stream().noneMatch(SUPPORTED::contains)) {
      return null;
    }
    return RedfishSimulator.error(
        400,
        "QueryNotSupportedOnOperation",
        "Querying is not supported with the requested operation.");
  }

  /** Applies the query to a GET's answer (200 with a resource). */
  static Answer apply(RedfishSimulator sim, Answer answer, String rawQuery) {
    if (!(answer.body() instanceof ObjectNode body)) {
      return answer;
    }
    Map<String, String> params = parameters(rawQuery);
    for (String name : params.keySet()) {
      if (name.startsWith("$") && !SUPPORTED.contains(name)) {
        return RedfishSimulator.error(
            501,
            "QueryNotSupported",
            "Querying is not supported by the implementation: " + name + ".");
      }
    }
    boolean collection = body.has("Members");
    if (params.containsKey("only")) {
      if (!params.get("only").isEmpty()) {
        return formatError(params.get("only"), "only", "no value");
      }
      if (params.keySet().stream().filter(SUPPORTED::contains).count() > 1) {
        return RedfishSimulator.error(
            400,
            "QueryCombinationInvalid",
            "Two or more query parameters in the request cannot be used together: only cannot be"
                + " combined with others.");
      }
    }
    if (!collection && (params.containsKey("$filter") || params.containsKey("only"))) {
      return RedfishSimulator.error(
          400,
          "QueryNotSupportedOnResource",
          "Querying is not supported on the requested resource: "
              + (params.containsKey("only") ? "only" : "$filter")
              + " applies to resource collections.");
    }
    ObjectNode result = body.deepCopy();
    if (params.containsKey("$filter")) {
      Answer refused = filter(sim, result, params.get("$filter"));
      if (refused != null) {
        return refused;
      }
    }
    if (params.containsKey("only")) {
      if (result.path("Members").size() != 1) {
        return answer;
      }
      String member = result.path("Members").get(0).path("@odata.id").asString("");
      return sim.behaviour.route("GET", RedfishBehaviour.normalize(member), "", null);
    }
    if (params.containsKey("$expand")) {
      Answer refused = expand(sim, result, params.get("$expand"));
      if (refused != null) {
        return refused;
      }
    }
    if (params.containsKey("$select")) {
      Map<String, Object> tree = new LinkedHashMap<>();
      for (String item : params.get("$select").split(",", -1)) {
        String trimmed = item.strip();
        if (!SELECT_ITEM.matcher(trimmed).matches()) {
          return formatError(
              params.get("$select"), "$select", "a comma-separated list of property paths");
        }
        add(tree, trimmed.split("/"));
      }
      if (!tree.containsKey("*")) {
        result = select(result, tree, true);
      }
    }
    return new Answer(200, result, answer.headers());
  }

  private static Map<String, String> parameters(String rawQuery) {
    var params = new LinkedHashMap<String, String>();
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name =
          URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.put(name, value);
    }
    return params;
  }

  private static Answer formatError(String value, String parameter, String expected) {
    return RedfishSimulator.error(
        400,
        "QueryParameterValueFormatError",
        "The value '"
            + value
            + "' for the parameter "
            + parameter
            + " is of a different format than the parameter can accept; expected "
            + expected
            + ".");
  }

  /** Keeps the members that match; the count follows. Null, or the error answer. */
  private static Answer filter(RedfishSimulator sim, ObjectNode collection, String expression) {
    RedfishFilter filter;
    try {
      filter = RedfishFilter.parse(expression);
    } catch (RedfishFilter.Unsupported e) {
      return RedfishSimulator.error(
          501,
          "QueryNotSupported",
          "Querying is not supported by the implementation: $filter with " + e.getMessage() + ".");
    } catch (RedfishFilter.Invalid e) {
      return formatError(
          expression, "$filter", "a DSP0266 filter expression (" + e.getMessage() + ")");
    }
    ArrayNode kept = collection.arrayNode();
    try {
      for (JsonNode ref : collection.path("Members")) {
        JsonNode member =
            sim.resources.get(RedfishBehaviour.normalize(ref.path("@odata.id").asString("")));
        if (filter.matches(member == null ? ref : member)) {
          kept.add(ref);
        }
      }
    } catch (RedfishFilter.Invalid e) {
      return RedfishSimulator.error(
          400,
          "QueryParameterValueTypeError",
          "The value '"
              + expression
              + "' for the query parameter $filter is of a different type than the parameter can"
              + " accept: "
              + e.getMessage()
              + ".");
    }
    collection.set("Members", kept);
    if (collection.has("Members@odata.count")) {
      collection.put("Members@odata.count", kept.size());
    }
    return null;
  }

  private static Answer expand(RedfishSimulator sim, ObjectNode resource, String value) {
    Matcher m = EXPAND.matcher(value);
    if (!m.matches()) {
      return formatError(value, "$expand", "*, . or ~ with an optional ($levels=N)");
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
    expand(sim, resource, m.group(1).charAt(0), levels, false);
    return null;
  }

  /** Replaces references ({@code {"@odata.id": X}} alone) under {@code node} by X's resource. */
  private static void expand(
      RedfishSimulator sim, JsonNode node, char mode, int levels, boolean inLinks) {
    if (levels == 0) {
      return;
    }
    if (node instanceof ObjectNode object) {
      for (var name : new ArrayList<>(object.propertyNames())) {
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

  @SuppressWarnings("unchecked")
  private static void add(Map<String, Object> tree, String[] path) {
    Map<String, Object> node = tree;
    for (int i = 0; i < path.length; i++) {
      boolean last = i == path.length - 1;
      if (node.containsKey(path[i]) && node.get(path[i]) == null) {
        return; // the whole property is already selected
      }
      if (last) {
        node.put(path[i], null);
      } else {
        node = (Map<String, Object>) node.computeIfAbsent(path[i], k -> new LinkedHashMap<>());
      }
    }
  }

  /**
   * The selected properties of {@code object} (with their annotations, {@code Name@...}); at the
   * top, and in expanded collection members, the properties DSP0266 always keeps.
   */
  @SuppressWarnings("unchecked")
  private static ObjectNode select(ObjectNode object, Map<String, Object> tree, boolean resource) {
    ObjectNode out = object.objectNode();
    for (var e : object.properties()) {
      String name = e.getKey();
      String owner =
          name.contains("@") && !name.startsWith("@") ? name.substring(0, name.indexOf('@')) : name;
      JsonNode value = e.getValue();
      if (resource && ALWAYS.contains(name)) {
        out.set(name, name.equals("Members") ? members((ArrayNode) value, tree) : value);
      } else if (tree.containsKey(owner)) {
        Object sub = tree.get(owner);
        if (sub == null || !owner.equals(name)) {
          out.set(name, value);
        } else if (value instanceof ObjectNode child) {
          out.set(name, select(child, (Map<String, Object>) sub, false));
        } else if (value instanceof ArrayNode array) {
          ArrayNode items = out.putArray(name);
          array.forEach(
              item ->
                  items.add(
                      item instanceof ObjectNode o
                          ? select(o, (Map<String, Object>) sub, false)
                          : item));
        }
      }
    }
    return out;
  }

  /** Expanded members get the same selection; references stay as they are. */
  private static ArrayNode members(ArrayNode members, Map<String, Object> tree) {
    ArrayNode out = members.arrayNode();
    for (JsonNode m : members) {
      boolean expanded = m instanceof ObjectNode o && o.size() > 1 && o.has("@odata.id");
      out.add(expanded ? select((ObjectNode) m, tree, true) : m);
    }
    return out;
  }
}
