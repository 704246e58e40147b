package dev.opsflow.redis.cloud.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.testing.ManualClock;
import dev.opsflow.workflow.testing.RedisEndpoints;
import dev.opsflow.workflow.testing.StandaloneProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The simulator's state directory, and the simulator run as a standalone server. */
class RedisCloudSimulatorStateTest {
  private final ManualClock clock = new ManualClock();
  private final HttpClient http =
      HttpClient.newBuilder().sslContext(RedisCloudSimulator.clientSslContext()).build();
  private final SimulatorSettings settings =
      SimulatorSettings.defaults().withEndpoints(RedisEndpoints.inProcess());

  private static final String SUBSCRIPTION =
      "{\"name\":\"kept\",\"paymentMethodId\":12345,\"cloudProviders\":[{\"provider\":\"AWS\","
          + "\"regions\":[{\"region\":\"us-east-1\",\"networking\":{\"deploymentCIDR\":"
          + "\"10.0.0.0/24\"}}]}],\"databases\":[{\"name\":\"db\",\"protocol\":\"redis\"}]}";

  @Test
  void aRestartedSimulatorServesTheSameAccount(@TempDir Path dir) throws Exception {
    String taskId;
    try (var sim = RedisCloudSimulator.start(clock, settings, 0, dir)) {
      taskId = call(sim, "POST", "/subscriptions", SUBSCRIPTION).path("taskId").asString();
      clock.advance(Duration.ofMinutes(5));
      assertThat(call(sim, "GET", "/tasks/" + taskId, null).path("status").asString())
          .isEqualTo("processing-completed");
    }
    try (var again = RedisCloudSimulator.start(clock, settings, 0, dir)) {
      assertThat(again.subscriptionNames()).containsExactly("kept");
      assertThat(again.databaseNames()).containsExactly("db");
      JsonNode task = call(again, "GET", "/tasks/" + taskId, null);
      assertThat(task.path("status").asString()).isEqualTo("processing-completed");
      assertThat(task.path("response").path("resourceId").asLong()).isPositive();
    }
  }

  @Test
  void aTaskInFlightAtARestartEndsInAnErrorSayingSo(@TempDir Path dir) throws Exception {
    String taskId;
    try (var sim = RedisCloudSimulator.start(clock, settings, 0, dir)) {
      taskId = call(sim, "POST", "/subscriptions", SUBSCRIPTION).path("taskId").asString();
    }
    try (var again = RedisCloudSimulator.start(clock, settings, 0, dir)) {
      clock.advance(Duration.ofMinutes(5));
      JsonNode task = call(again, "GET", "/tasks/" + taskId, null);
      assertThat(task.path("status").asString()).isEqualTo("processing-error");
      assertThat(task.path("response").path("error").path("description").asString())
          .contains("simulator restarted");
      assertThat(again.subscriptionNames()).isEmpty();
    }
  }

  @Test
  void theMainPrintsItsKeysAndServesUntilSigterm(@TempDir Path dir) throws Exception {
    try (var cloud =
        StandaloneProcess.start(
            dir, "dev.opsflow.redis.cloud.testing.RedisCloudSimulatorMain", "--timings", "fast")) {
      JsonNode ready = cloud.ready();
      assertThat(ready.path("kind").asString()).isEqualTo("redis-cloud");
      // Another process has its own certificate: the ready line names the file to trust.
      String pem = java.nio.file.Files.readString(Path.of(ready.path("caCertFile").asString()));
      var trusting =
          HttpClient.newBuilder()
              .sslContext(
                  dev.opsflow.workflow.http.TlsContexts.sslContext(
                      dev.opsflow.workflow.http.TlsTrust.pem(pem)))
              .build();
      var answer =
          trusting.send(
              HttpRequest.newBuilder(URI.create(ready.path("url").asString() + "/subscriptions"))
                  .header("x-api-key", ready.path("apiKey").asString())
                  .header("x-api-secret-key", ready.path("secretKey").asString())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(cloud.stop()).isEmpty();
    }
  }

  private JsonNode call(RedisCloudSimulator sim, String method, String path, String body)
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
    return Json.mapper()
        .readTree(http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body());
  }
}
