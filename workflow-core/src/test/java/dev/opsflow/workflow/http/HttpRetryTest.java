package dev.opsflow.workflow.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import dev.opsflow.workflow.ApiException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class HttpRetryTest {
  private TestServer server;
  private JsonHttpClient client;
  private final RetryPolicy<Object> policy =
      HttpRetry.policy(3, Duration.ofMillis(1), Duration.ofMillis(5));

  @BeforeEach
  void startServer() throws Exception {
    server = TestServer.http();
    client = JsonHttpClient.create(HttpSettings.of(server.baseUri()));
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void retriesServiceUnavailableThenSucceeds() {
    var calls = new AtomicInteger();
    server.on(
        "GET",
        "/v1/cluster",
        exchange -> {
          if (calls.incrementAndGet() == 1) {
            TestServer.respond(exchange, 503, "{\"message\":\"busy\"}");
          } else {
            TestServer.respond(exchange, 200, "{\"name\":\"c1\"}");
          }
        });

    JsonNode cluster = Failsafe.with(policy).get(() -> client.get("/v1/cluster", JsonNode.class));

    assertThat(cluster.get("name").asString()).isEqualTo("c1");
    assertThat(server.requests()).hasSize(2);
  }

  @Test
  void doesNotRetryBadRequest() {
    server.on("POST", "/v1/bdbs", 400, "{\"error_code\":\"invalid\"}");

    ApiException e =
        catchThrowableOfType(
            ApiException.class,
            () -> Failsafe.with(policy).get(() -> client.post("/v1/bdbs", "{}", JsonNode.class)));

    assertThat(e.status()).isEqualTo(400);
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void waitsAsLongAsRetryAfterSays() {
    var calls = new AtomicInteger();
    server.on(
        "GET",
        "/v1/subscriptions",
        exchange -> {
          if (calls.incrementAndGet() == 1) {
            TestServer.respond(exchange, 429, "{}", "Retry-After", "0.3");
          } else {
            TestServer.respond(exchange, 200, "[]");
          }
        });

    long started = System.nanoTime();
    Failsafe.with(policy).get(() -> client.get("/v1/subscriptions", JsonNode.class));

    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }

  @Test
  void givesUpAfterMaxAttempts() {
    server.on("GET", "/v1/cluster", 502, null);

    ApiException e =
        catchThrowableOfType(
            ApiException.class,
            () -> Failsafe.with(policy).get(() -> client.get("/v1/cluster", JsonNode.class)));

    assertThat(e.status()).isEqualTo(502);
    assertThat(server.requests()).hasSize(3);
  }

  @Test
  void rejectsNonsenseArguments() {
    assertThat(
            catchThrowableOfType(
                IllegalArgumentException.class,
                () -> HttpRetry.policy(0, Duration.ofMillis(1), Duration.ofMillis(2))))
        .hasMessage("maxAttempts must be >= 1");
  }
}
