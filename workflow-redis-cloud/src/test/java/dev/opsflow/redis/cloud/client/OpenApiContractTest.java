package dev.opsflow.redis.cloud.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.redis.cloud.testing.RecordedRequest;
import dev.opsflow.workflow.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Checks the client (and the simulator's answers) against Redis's OpenAPI description of the Redis
 * Cloud API: every request the client sends names a described path and method, carries the schema's
 * required fields and no field the schema does not know, and gets a described status. The
 * description lives outside the project ({@code ../shared/reference} or {@code
 * $OPSFLOW_SHARED/reference}); without it the test is skipped.
 */
class OpenApiContractTest {
  private static JsonNode spec;
  private static ClientFixture fixture;
  private static List<RecordedRequest> requests;

  private static Optional<Path> file;

  @BeforeAll
  static void exercise() throws Exception {
    file = locate();
    if (file.isEmpty()) {
      return;
    }
    spec = Json.mapper().readTree(Files.readAllBytes(file.get()));
    fixture = new ClientFixture();
    fixture.exerciseEveryCall();
    requests = fixture.sim.requests();
  }

  /** Each test reports itself skipped, with the reason, when the description is not here. */
  @org.junit.jupiter.api.BeforeEach
  void requireDescription() {
    Assumptions.assumeTrue(
        file.isPresent(),
        "the Redis Cloud OpenAPI description is not here"
            + " (../shared/reference/redis-cloud-openapi.json or $OPSFLOW_SHARED/reference):"
            + " a fresh clone has no ../shared, so the contract check is skipped");
  }

  @AfterAll
  static void close() {
    if (fixture != null) {
      fixture.close();
    }
  }

  static Optional<Path> locate() {
    String env = System.getenv("OPSFLOW_SHARED");
    var candidates = new ArrayList<Path>();
    if (env != null && !env.isBlank()) {
      candidates.add(Path.of(env, "reference", "redis-cloud-openapi.json"));
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      candidates.add(dir.resolve("../shared/reference/redis-cloud-openapi.json").normalize());
    }
    return candidates.stream().filter(Files::isRegularFile).findFirst();
  }

  @Test
  void everyRequestNamesADescribedPathAndMethod() {
    assertThat(requests).hasSizeGreaterThan(20);
    for (RecordedRequest r : requests) {
      assertThat(operation(r)).as(r.line()).isPresent();
    }
    assertThat(requests.stream().map(r -> r.method() + " " + template(r).orElse("?")).distinct())
        .contains(
            "POST /subscriptions",
            "GET /tasks/{taskId}",
            "GET /subscriptions/{subscriptionId}/databases",
            "POST /fixed/subscriptions/{subscriptionId}/databases",
            "GET /subscriptions/{subscriptionId}/regions",
            "GET /fixed/plans",
            "DELETE /subscriptions/{subscriptionId}/peerings/{peeringId}");
  }

  @Test
  void everyBodyHasTheRequiredFieldsAndOnlyKnownOnes() {
    for (RecordedRequest r : requests) {
      if (r.body() == null) {
        continue;
      }
      JsonNode schema =
          operation(r)
              .orElseThrow()
              .path("requestBody")
              .path("content")
              .path("application/json")
              .path("schema");
      assertThat(schema.isMissingNode()).as(r.line() + " takes no body").isFalse();
      var problems = new ArrayList<String>();
      check(r.body(), schema, "body", problems);
      assertThat(problems).as(r.line()).isEmpty();
    }
  }

  @Test
  void everyAnswerHasADescribedStatusAndTaskStatus() {
    List<String> taskStatuses = new ArrayList<>();
    resolve(spec.at("/components/schemas/TaskStateUpdate"))
        .path("properties")
        .path("status")
        .path("enum")
        .forEach(s -> taskStatuses.add(s.asString()));
    for (RecordedRequest r : requests) {
      JsonNode responses = operation(r).orElseThrow().path("responses");
      assertThat(responses.has(String.valueOf(r.status())))
          .as(r.line() + " -> " + r.status())
          .isTrue();
    }
    assertThat(taskStatuses).contains("processing-completed", "processing-error");
    for (String seen : List.of("initialized", "received", "processing-in-progress")) {
      assertThat(taskStatuses).contains(seen);
    }
  }

  private static Optional<String> template(RecordedRequest r) {
    for (Iterator<String> it = spec.get("paths").propertyNames().iterator(); it.hasNext(); ) {
      String path = it.next();
      String regex = path.replaceAll("\\{[^}]+}", "[^/]+");
      if (r.path().matches(regex)
          && spec.get("paths").get(path).has(r.method().toLowerCase(java.util.Locale.ROOT))) {
        return Optional.of(path);
      }
    }
    return Optional.empty();
  }

  private static Optional<JsonNode> operation(RecordedRequest r) {
    return template(r)
        .map(t -> spec.get("paths").get(t).get(r.method().toLowerCase(java.util.Locale.ROOT)));
  }

  private static JsonNode resolve(JsonNode schema) {
    while (schema.has("$ref")) {
      String ref = schema.get("$ref").asString();
      schema = spec.at(ref.substring(1));
    }
    return schema;
  }

  private static void check(
      JsonNode value, JsonNode schemaRef, String where, List<String> problems) {
    JsonNode schema = resolve(schemaRef);
    if (schema.has("oneOf")) {
      var variantProblems = new ArrayList<List<String>>();
      for (JsonNode variant : schema.get("oneOf")) {
        var p = new ArrayList<String>();
        check(value, variant, where, p);
        if (p.isEmpty()) {
          return;
        }
        variantProblems.add(p);
      }
      problems.add(where + " matches no oneOf variant: " + variantProblems);
      return;
    }
    if (value.isObject()) {
      JsonNode props = schema.path("properties");
      for (JsonNode req : schema.path("required")) {
        if (!value.has(req.asString())) {
          problems.add(where + "." + req.asString() + " is required");
        }
      }
      if (props.isObject() && !props.isEmpty()) {
        for (Map.Entry<String, JsonNode> field : value.properties()) {
          if (!props.has(field.getKey())) {
            problems.add(where + "." + field.getKey() + " is not in the schema");
          } else {
            check(
                field.getValue(),
                props.get(field.getKey()),
                where + "." + field.getKey(),
                problems);
          }
        }
      }
    } else if (value.isArray() && schema.has("items")) {
      int i = 0;
      for (JsonNode item : value) {
        check(item, schema.get("items"), where + "[" + i++ + "]", problems);
      }
    } else if (schema.has("enum") && value.isValueNode()) {
      var allowed = new ArrayList<String>();
      schema.get("enum").forEach(e -> allowed.add(e.asString()));
      if (!allowed.contains(value.asString())) {
        problems.add(where + " = '" + value.asString() + "' is not one of " + allowed);
      }
    }
  }
}
