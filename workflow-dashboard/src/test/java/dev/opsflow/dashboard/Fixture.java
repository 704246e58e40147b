package dev.opsflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowRegistry;
import dev.opsflow.workflow.store.FileExecutionStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import tools.jackson.databind.JsonNode;

/**
 * An engine on a file store in a test's directory, the test workflows registered, a dashboard on a
 * free loopback port, and an HTTP client for its API.
 */
final class Fixture implements AutoCloseable {
  static final String TOKEN = "test-token-0123456789abcdef";

  final TestWorkflows.Gates gates = new TestWorkflows.Gates();
  final WorkflowRegistry registry = new WorkflowRegistry();
  final WorkflowEngine engine;
  final DashboardServer dashboard;
  final HttpClient http = HttpClient.newHttpClient();

  /** A response: status and JSON body. */
  record Response(int status, JsonNode json, String text, java.net.http.HttpHeaders headers) {}

  Fixture(Path dir) {
    engine = WorkflowEngine.builder().store(FileExecutionStore.open(dir)).build();
    registry.register(() -> TestWorkflows.gated(gates));
    dashboard =
        Dashboard.builder(engine, registry)
            .port(0)
            .token(TOKEN)
            .refreshInterval(Duration.ofMillis(50))
            .start();
  }

  URI uri(String path) {
    return dashboard.url().resolve(path);
  }

  Response get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  Response post(String path, String json) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + TOKEN)
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> r =
          http.send(
              request.timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode json = null;
      if (r.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
        json = Json.mapper().readTree(r.body());
      }
      return new Response(r.statusCode(), json, r.body(), r.headers());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Starts provision-server for {@code server} through the API; returns the run id. */
  String start(String server) {
    Response r =
        post(
            "/api/workflows/provision-server/runs",
            "{\"inputs\": {\"server\": \"" + server + "\"}}");
    assertThat(r.status()).as(r.text()).isEqualTo(202);
    return r.json().get("runId").stringValue();
  }

  /** Waits (30 s at most, a bound for a hang) until {@code condition} holds. */
  static void until(String what, BooleanSupplier condition) {
    Instant end = Instant.now().plusSeconds(30);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(end)) {
        throw new AssertionError("timed out waiting until " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** Waits until run {@code runId} is stored as {@code state}. */
  void untilState(String runId, RunState state) {
    until(
        runId + " is " + state,
        () -> engine.store().find(runId).map(r -> r.state() == state).orElse(false));
  }

  /** Waits until run {@code runId} is in a sub-task that contains {@code text}. */
  void untilSubTask(String runId, String text) {
    until(
        runId + " does '" + text + "'",
        () ->
            engine
                .status(runId)
                .map(s -> s.currentSubTask() != null && s.currentSubTask().contains(text))
                .orElse(false));
  }

  @Override
  public void close() {
    dashboard.close();
    engine.close();
  }
}
