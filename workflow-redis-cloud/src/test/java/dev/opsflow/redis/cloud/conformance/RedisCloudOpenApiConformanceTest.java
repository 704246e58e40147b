package dev.opsflow.redis.cloud.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.redis.cloud.testing.RedisCloudSimulator;
import dev.opsflow.redis.cloud.testing.SimulatorSettings;
import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.testing.ManualClock;
import dev.opsflow.workflow.testing.RedisEndpoints;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every response of a Pro and an Essentials provisioning on the Redis Cloud simulator, validated
 * against the operation's response schema in Redis Cloud's published OpenAPI description, and its
 * objects checked for the fields of the description's examples. Skipped when the description is not
 * beside the repository ({@code ../shared/reference/}).
 */
class RedisCloudOpenApiConformanceTest {
  private final ManualClock clock = new ManualClock();
  private final HttpClient http =
      HttpClient.newBuilder().sslContext(RedisCloudSimulator.clientSslContext()).build();
  private RedisCloudOpenApi api;
  private RedisCloudSimulator sim;
  private final List<String> errors = new ArrayList<>();
  private final Map<String, TreeSet<String>> missing = new TreeMap<>();

  @BeforeEach
  void start() throws Exception {
    api = RedisCloudOpenApi.load();
    Assumptions.assumeTrue(
        api != null, "Redis Cloud's OpenAPI description is not at " + RedisCloudOpenApi.location());
    sim =
        RedisCloudSimulator.start(
            clock, SimulatorSettings.defaults().withEndpoints(RedisEndpoints.inProcess()));
  }

  @AfterEach
  void stop() {
    if (sim != null) {
      sim.close();
    }
  }

  /** Sends a request and validates the answer against the operation's response schema. */
  private JsonNode call(String method, String path, String template, String body, int status)
      throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create(sim.baseUri() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json")
            .header("x-api-key", sim.apiKey().reveal())
            .header("x-api-secret-key", sim.secretKey().reveal());
    var answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode())
        .as(method + " " + path + ": " + answer.body())
        .isEqualTo(status);
    JsonNode json = Json.mapper().readTree(answer.body());
    errors.addAll(api.validate(api.responseSchema(method, template, status), json));
    return json;
  }

  private void fields(String schema, JsonNode instance) {
    var lacking = api.missingExampleFields(schema, instance);
    if (!lacking.isEmpty()) {
      missing.computeIfAbsent(schema, k -> new TreeSet<>()).addAll(lacking);
    }
  }

  private String task(JsonNode accepted) throws Exception {
    String id = accepted.path("taskId").asString();
    call("GET", "/tasks/" + id, "/tasks/{taskId}", null, 200);
    clock.advance(Duration.ofMinutes(5));
    JsonNode done = call("GET", "/tasks/" + id, "/tasks/{taskId}", null, 200);
    assertThat(done.path("status").asString()).isEqualTo("processing-completed");
    return done.path("response").path("resourceId").asString();
  }

  @Test
  void aProProvisioningAnswersAsTheDescriptionSays() throws Exception {
    call("GET", "/payment-methods", "/payment-methods", null, 200);
    call("GET", "/regions", "/regions", null, 200);
    call("GET", "/cloud-accounts", "/cloud-accounts", null, 200);
    String sub =
        task(
            call(
                "POST",
                "/subscriptions",
                "/subscriptions",
                "{\"name\":\"conf\",\"paymentMethodId\":12345,\"cloudProviders\":[{\"provider\":"
                    + "\"AWS\",\"regions\":[{\"region\":\"us-east-1\",\"networking\":"
                    + "{\"deploymentCIDR\":\"10.0.0.0/24\"}}]}],\"databases\":[{\"name\":\"db1\","
                    + "\"protocol\":\"redis\",\"datasetSizeInGb\":1}]}",
                202));
    clock.advance(Duration.ofMinutes(5));
    JsonNode all = call("GET", "/subscriptions", "/subscriptions", null, 200);
    fields("AccountSubscriptions", all);
    fields("Subscription", all.path("subscriptions").get(0));
    fields(
        "Subscription",
        call("GET", "/subscriptions/" + sub, "/subscriptions/{subscriptionId}", null, 200));
    JsonNode dbs =
        call(
            "GET",
            "/subscriptions/" + sub + "/databases",
            "/subscriptions/{subscriptionId}/databases",
            null,
            200);
    fields("AccountSubscriptionDatabases", dbs);
    String db =
        dbs.path("subscription").get(0).path("databases").get(0).path("databaseId").asString();
    fields(
        "Database",
        call(
            "GET",
            "/subscriptions/" + sub + "/databases/" + db,
            "/subscriptions/{subscriptionId}/databases/{databaseId}",
            null,
            200));
    task(
        call(
            "PUT",
            "/subscriptions/" + sub + "/databases/" + db,
            "/subscriptions/{subscriptionId}/databases/{databaseId}",
            "{\"name\":\"db1-renamed\"}",
            200));

    assertThat(errors).isEmpty();
    assertThat(missing).isEmpty();
  }

  @Test
  void anEssentialsProvisioningAnswersAsTheDescriptionSays() throws Exception {
    call("GET", "/fixed/plans", "/fixed/plans", null, 200);
    String sub =
        task(
            call(
                "POST",
                "/fixed/subscriptions",
                "/fixed/subscriptions",
                "{\"name\":\"ess\",\"planId\":1002,\"paymentMethodId\":12345}",
                202));
    fields(
        "FixedSubscription",
        call(
            "GET",
            "/fixed/subscriptions/" + sub,
            "/fixed/subscriptions/{subscriptionId}",
            null,
            200));
    task(
        call(
            "POST",
            "/fixed/subscriptions/" + sub + "/databases",
            "/fixed/subscriptions/{subscriptionId}/databases",
            "{\"name\":\"essdb\"}",
            200));
    JsonNode dbs =
        call(
            "GET",
            "/fixed/subscriptions/" + sub + "/databases",
            "/fixed/subscriptions/{subscriptionId}/databases",
            null,
            200);
    String db = dbs.path("subscription").path("databases").get(0).path("databaseId").asString();
    fields(
        "FixedDatabase",
        call(
            "GET",
            "/fixed/subscriptions/" + sub + "/databases/" + db,
            "/fixed/subscriptions/{subscriptionId}/databases/{databaseId}",
            null,
            200));

    assertThat(errors).isEmpty();
    assertThat(missing).isEmpty();
  }

  @Test
  void aFailedTaskCarriesItsErrorAsAnObjectWhichTheDescriptionMistypes() throws Exception {
    sim.faults().failNextTask("SUBSCRIPTION_INVALID_CIDR", "bad CIDR");
    JsonNode accepted =
        call(
            "POST",
            "/subscriptions",
            "/subscriptions",
            "{\"name\":\"bad\",\"paymentMethodId\":12345,\"cloudProviders\":[{\"provider\":\"AWS\","
                + "\"regions\":[{\"region\":\"us-east-1\",\"networking\":{\"deploymentCIDR\":"
                + "\"10.0.0.0/24\"}}]}],\"databases\":[{\"name\":\"db\",\"protocol\":\"redis\"}]}",
            202);
    clock.advance(Duration.ofMinutes(5));
    JsonNode failed =
        call("GET", "/tasks/" + accepted.path("taskId").asString(), "/tasks/{taskId}", null, 200);
    assertThat(failed.path("status").asString()).isEqualTo("processing-error");
    assertThat(failed.path("response").path("error").path("type").asString())
        .isEqualTo("SUBSCRIPTION_INVALID_CIDR");
    assertThat(errors).isEmpty();
  }
}
