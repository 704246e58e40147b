package dev.opsflow.redis.cloud.conformance;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import dev.opsflow.workflow.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Redis Cloud's published OpenAPI description ({@code
 * ../shared/reference/redis-cloud-openapi.json}, OpenAPI 3.0.1) as a validator of responses: the
 * response schema of an operation, and the fields of the schema's {@code example} (the API's own
 * sample objects, which list far more fields than its loosely typed schemas declare).
 *
 * <p>Where the published description is wrong it is corrected here, in a copy, and said so: every
 * {@code links} item is typed as an object of objects ({@code additionalProperties: {type:
 * object}}) while the API sends {@code {"rel": "self", "href": "...", "type": "GET"}}, strings; and
 * a task's {@code response.error} is typed as a string code only, while the API also sends {@code
 * {"type", "status", "description"}} (redis-api-facts.md).
 */
final class RedisCloudOpenApi {
  private static final String IRI = "https://opsflow.invalid/redis-cloud-openapi.json";
  private final JsonNode spec;
  private final SchemaRegistry registry;
  private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

  private RedisCloudOpenApi(JsonNode spec) {
    this.spec = spec;
    String text = Json.mapper().writeValueAsString(spec);
    this.registry =
        SchemaRegistry.withDialect(Dialects.getOpenApi30(), b -> b.schemas(Map.of(IRI, text)));
  }

  /** The description beside the repository, or null when it is not there. */
  static RedisCloudOpenApi load() throws Exception {
    Path file = Path.of(location());
    if (!Files.isRegularFile(file)) {
      return null;
    }
    ObjectNode spec = (ObjectNode) Json.mapper().readTree(Files.readString(file));
    correct(spec);
    return new RedisCloudOpenApi(spec);
  }

  /**
   * Where the description is: under {@code $OPSFLOW_SHARED/reference/}, else the first {@code
   * ../shared/reference/} beside this directory or one of its parents (as OpenApiContractTest looks
   * for it).
   */
  static String location() {
    String env = System.getenv("OPSFLOW_SHARED");
    if (env != null) {
      return Path.of(env, "reference", "redis-cloud-openapi.json").toString();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("../shared/reference/redis-cloud-openapi.json").normalize();
      if (Files.isRegularFile(candidate)) {
        return candidate.toString();
      }
    }
    return Path.of("../../shared/reference/redis-cloud-openapi.json")
        .toAbsolutePath()
        .normalize()
        .toString();
  }

  /** The corrections named in the class comment. */
  private static void correct(ObjectNode spec) {
    spec.findParents("links")
        .forEach(
            parent -> {
              JsonNode links = parent.get("links");
              if (links instanceof ObjectNode l
                  && l.path("items")
                      .path("additionalProperties")
                      .path("type")
                      .asString("")
                      .equals("object")) {
                ((ObjectNode) l.get("items"))
                    .putObject("additionalProperties")
                    .put("type", "string");
              }
            });
    ObjectNode response =
        (ObjectNode) spec.path("components").path("schemas").path("ProcessorResponse");
    JsonNode code = response.path("properties").path("error");
    ObjectNode error = Json.mapper().createObjectNode();
    var oneOf = error.putArray("oneOf");
    oneOf.add(code.deepCopy());
    ObjectNode object = oneOf.addObject().put("type", "object");
    ObjectNode props = object.putObject("properties");
    props.putObject("type").put("type", "string");
    props.putObject("status").put("type", "string");
    props.putObject("description").put("type", "string");
    ((ObjectNode) response.get("properties")).set("error", error);
  }

  /** The component schema an operation answers with, e.g. {@code Database}. */
  String responseSchema(String method, String template, int status) {
    JsonNode ref =
        spec.path("paths")
            .path(template)
            .path(method.toLowerCase())
            .path("responses")
            .path(String.valueOf(status))
            .path("content")
            .path("application/json")
            .path("schema")
            .path("$ref");
    if (ref.isMissingNode()) {
      throw new IllegalArgumentException(
          "no response schema for " + method + " " + template + " " + status);
    }
    return ref.asString().substring("#/components/schemas/".length());
  }

  /** The validation errors of {@code instance} against component schema {@code name}. */
  List<String> validate(String name, JsonNode instance) {
    Schema schema =
        schemas.computeIfAbsent(
            name, n -> registry.getSchema(SchemaLocation.of(IRI + "#/components/schemas/" + n)));
    return schema.validate(instance).stream().map(e -> name + " " + e).toList();
  }

  /** The top-level fields of the schema's example that {@code instance} lacks. */
  Set<String> missingExampleFields(String name, JsonNode instance) {
    JsonNode example = spec.path("components").path("schemas").path(name).path("example");
    var missing = new TreeSet<String>();
    for (String field : new ArrayList<>(example.propertyNames())) {
      if (!instance.has(field)) {
        missing.add(field);
      }
    }
    return missing;
  }
}
