package dev.opsflow.redis.cloud.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.redis.cloud.testing.RedisCloudSimulator;
import dev.opsflow.redis.cloud.testing.SimulatorSettings;
import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.peers.Peers;
import dev.opsflow.workflow.testing.ManualClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code redis-cli} (Debian package {@code redis-tools}, beside redis-server) against every
 * database endpoint the Redis Cloud simulator hands out, with the password the API reports (passed
 * in {@code REDISCLI_AUTH}, not on the command line), over TLS when the database has it.
 */
class RedisCliConformanceTest {
  private final ManualClock clock = new ManualClock();
  private final HttpClient http =
      HttpClient.newBuilder().sslContext(RedisCloudSimulator.clientSslContext()).build();
  @TempDir Path dir;

  @Test
  void everyEndpointAnswersRedisCliWithThePasswordTheApiReports() throws Exception {
    Path redisCli = Peers.require("redis-cli", "redis-tools");
    try (var sim = RedisCloudSimulator.start(clock, SimulatorSettings.defaults())) {
      JsonNode task =
          call(
              sim,
              "POST",
              "/subscriptions",
              "{\"name\":\"cli\",\"paymentMethodId\":12345,\"cloudProviders\":[{\"provider\":\"AWS\","
                  + "\"regions\":[{\"region\":\"us-east-1\",\"networking\":{\"deploymentCIDR\":"
                  + "\"10.0.0.0/24\"}}]}],\"databases\":[{\"name\":\"plain\",\"protocol\":\"redis\"},"
                  + "{\"name\":\"secure\",\"protocol\":\"redis\",\"enableTls\":true}]}");
      clock.advance(Duration.ofMinutes(10));
      String sub =
          call(sim, "GET", "/tasks/" + task.path("taskId").asString(), null)
              .path("response")
              .path("resourceId")
              .asString();
      JsonNode dbs =
          call(sim, "GET", "/subscriptions/" + sub + "/databases", null)
              .path("subscription")
              .get(0)
              .path("databases");
      assertThat(dbs).hasSize(2);
      Path ca = Files.writeString(dir.resolve("ca.pem"), sim.certificatePem());
      for (JsonNode db : dbs) {
        String[] endpoint = db.path("publicEndpoint").asString().split(":");
        var command =
            new ArrayList<>(
                List.of(
                    redisCli.toString(),
                    "-h",
                    endpoint[0],
                    "-p",
                    endpoint[1],
                    "--no-auth-warning"));
        if (db.path("security").path("enableTls").asBoolean()) {
          command.addAll(List.of("--tls", "--cacert", ca.toString()));
        }
        command.add("PING");
        var builder =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("out").toFile());
        builder.environment().put("REDISCLI_AUTH", db.path("security").path("password").asString());
        Process p = builder.start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(dir.resolve("out"), StandardCharsets.UTF_8).strip();
        assertThat(out).as(db.path("name").asString()).isEqualTo("PONG");
      }
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
