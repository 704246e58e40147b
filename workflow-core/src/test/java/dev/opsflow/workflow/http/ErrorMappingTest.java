package dev.opsflow.workflow.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.opsflow.workflow.ApiException;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.WorkflowException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ErrorMappingTest {
  private static final String PASSWORD = "hunter2-very-secret";

  private TestServer server;
  private JsonHttpClient client;

  @BeforeEach
  void startServer() throws Exception {
    server = TestServer.http();
    client =
        JsonHttpClient.create(
            HttpSettings.of(server.baseUri()).withAuth(Auth.basic("admin", Secret.of(PASSWORD))));
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private ApiException apiFailure(String method, String path) {
    return catchThrowableOfType(
        ApiException.class, () -> client.send(HttpRequestSpec.of(method, path)));
  }

  @Test
  void badRequestCarriesErrorCodeAndDescription() {
    server.on(
        "POST",
        "/v1/bdbs",
        400,
        "{\"error_code\":\"invalid_schema\",\"description\":\"memory_size is required\"}");

    ApiException e = apiFailure("POST", "/v1/bdbs");

    assertThat(e.status()).isEqualTo(400);
    assertThat(e.method()).isEqualTo("POST");
    assertThat(e.path()).isEqualTo("/v1/bdbs");
    assertThat(e.errorCode()).isEqualTo("invalid_schema");
    assertThat(e.kind()).isEqualTo(ErrorKind.API);
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage())
        .isEqualTo("POST /v1/bdbs answered 400 [invalid_schema]: memory_size is required");
  }

  @Test
  void badRequestWithMessageFieldIsReadToo() {
    server.on("POST", "/v1/bdbs", 400, "{\"error_code\":\"x\",\"message\":\"y\"}");

    ApiException e = apiFailure("POST", "/v1/bdbs");

    assertThat(e.errorCode()).isEqualTo("x");
    assertThat(e.getMessage()).endsWith("[x]: y");
  }

  @Test
  void unauthorizedIsAuthAndNeverRetryable() {
    server.on("GET", "/v1/cluster", 401, "{\"error_code\":\"unauthorized\"}");

    ApiException e = apiFailure("GET", "/v1/cluster");

    assertThat(e.kind()).isEqualTo(ErrorKind.AUTH);
    assertThat(e.retryable()).isFalse();
  }

  @Test
  void forbiddenIsAuthToo() {
    server.on("DELETE", "/v1/bdbs/1", 403, "{\"error\":\"insufficient permissions\"}");

    ApiException e = apiFailure("DELETE", "/v1/bdbs/1");

    assertThat(e.kind()).isEqualTo(ErrorKind.AUTH);
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage())
        .isEqualTo("DELETE /v1/bdbs/1 answered 403: insufficient permissions");
  }

  @Test
  void notFoundIsNotRetryable() {
    ApiException e = apiFailure("GET", "/v1/bdbs/42");

    assertThat(e.status()).isEqualTo(404);
    assertThat(e.retryable()).isFalse();
    assertThat(e.errorCode()).isEqualTo("not_found");
  }

  @Test
  void tooManyRequestsIsRetryableAndHonoursRetryAfterSeconds() {
    server.on("GET", "/v1/subscriptions", 429, "{}", "Retry-After", "7");

    ApiException e = apiFailure("GET", "/v1/subscriptions");

    assertThat(e.retryable()).isTrue();
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
  }

  @Test
  void retryAfterMayBeAnHttpDate() {
    String inTwoMinutes =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(120));
    server.on("GET", "/x", 503, null, "Retry-After", inTwoMinutes);

    ApiException e = apiFailure("GET", "/x");

    assertThat(e.retryAfter())
        .get()
        .satisfies(d -> assertThat(d).isBetween(Duration.ofSeconds(100), Duration.ofSeconds(121)));
  }

  @Test
  void redisCloudRateLimitHeaderGivesRetryAfter() {
    server.on("GET", "/v1/subscriptions", 429, "{}", "x-rate-limit-retry-after-seconds", "12");

    ApiException e = apiFailure("GET", "/v1/subscriptions");

    assertThat(e.retryAfter()).contains(Duration.ofSeconds(12));
  }

  @Test
  void serviceUnavailableIsRetryable() {
    server.on("GET", "/v1/cluster", 503, "<html>busy</html>", "Content-Type", "text/html");

    ApiException e = apiFailure("GET", "/v1/cluster");

    assertThat(e.retryable()).isTrue();
    assertThat(e.kind()).isEqualTo(ErrorKind.API);
    assertThat(e.getMessage()).isEqualTo("GET /v1/cluster answered 503: <html>busy</html>");
  }

  @Test
  void connectionRefusedIsARetryableConnectionErrorNamingTheHost() throws Exception {
    int closedPort;
    try (var socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    var refused = JsonHttpClient.create(HttpSettings.of("http://127.0.0.1:" + closedPort));

    ApiException e =
        catchThrowableOfType(ApiException.class, () -> refused.get("/v1/cluster", JsonNode.class));

    assertThat(e.status()).isZero();
    assertThat(e.kind()).isEqualTo(ErrorKind.CONNECTION);
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage())
        .startsWith("GET /v1/cluster failed: ")
        .contains("cannot connect to 127.0.0.1:" + closedPort + " (connection refused)");
  }

  @Test
  void slowAnswerIsATimeout() {
    server.on(
        "GET",
        "/slow",
        exchange -> {
          Thread.sleep(5_000);
          TestServer.respond(exchange, 200, "{}");
        });
    var impatient =
        JsonHttpClient.create(
            HttpSettings.of(server.baseUri()).withRequestTimeout(Duration.ofMillis(200)));

    WorkflowException e =
        catchThrowableOfType(WorkflowException.class, () -> impatient.get("/slow", JsonNode.class));

    assertThat(e).isNotInstanceOf(ApiException.class);
    assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).contains("GET /slow", "200 ms");
  }

  @Test
  void aRequestMayHaveItsOwnTimeout() {
    server.on(
        "GET",
        "/slow",
        exchange -> {
          Thread.sleep(5_000);
          TestServer.respond(exchange, 200, "{}");
        });

    WorkflowException e =
        catchThrowableOfType(
            WorkflowException.class,
            () -> client.send(HttpRequestSpec.get("/slow").withTimeout(Duration.ofMillis(150))));

    assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
    assertThat(e.getMessage()).contains("150 ms");
  }

  @Test
  void jsonOfTheWrongShapeIsAProtocolError() {
    server.on("GET", "/v1/bdbs", 200, "{\"not\":\"a list\"}");

    WorkflowException e =
        catchThrowableOfType(
            WorkflowException.class,
            () ->
                client.get(
                    "/v1/bdbs",
                    new tools.jackson.core.type.TypeReference<java.util.List<String>>() {}));

    assertThat(e.kind()).isEqualTo(ErrorKind.PROTOCOL);
    assertThat(e.getMessage()).startsWith("GET /v1/bdbs answered 200 with JSON that does not fit");
  }

  @Test
  void malformedJsonIsAProtocolErrorWithATruncatedBody() {
    String garbage = "{\"name\": " + "x".repeat(500);
    server.on("GET", "/v1/bdbs/1", 200, garbage);

    WorkflowException e =
        catchThrowableOfType(
            WorkflowException.class, () -> client.get("/v1/bdbs/1", JsonNode.class));

    assertThat(e.kind()).isEqualTo(ErrorKind.PROTOCOL);
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage())
        .startsWith("GET /v1/bdbs/1 answered 200 with a body that is not valid JSON: ")
        .hasSizeLessThan(300);
  }

  @Test
  void secretsNeverAppearInMessages() {
    server.on(
        "POST",
        "/v1/users",
        400,
        "{\"error_code\":\"bad\",\"description\":\"password " + PASSWORD + " is too weak\"}");

    ApiException e =
        catchThrowableOfType(
            ApiException.class,
            () -> client.post("/v1/users", Map.of("password", PASSWORD), JsonNode.class));

    assertThat(e.getMessage()).doesNotContain(PASSWORD).contains("password **** is too weak");
    assertThat(e.details().toString()).doesNotContain(PASSWORD);
  }

  @Test
  void aBrokenDecoderStillGivesAnApiException() {
    server.on("GET", "/x", 500, "{}");
    var withBrokenDecoder =
        JsonHttpClient.create(
            HttpSettings.of(server.baseUri())
                .withErrorDecoder(
                    response -> {
                      throw new IllegalStateException("bug");
                    }));

    ApiException e =
        catchThrowableOfType(ApiException.class, () -> withBrokenDecoder.get("/x", JsonNode.class));

    assertThat(e.status()).isEqualTo(500);
  }
}
