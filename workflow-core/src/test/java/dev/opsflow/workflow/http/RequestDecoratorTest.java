package dev.opsflow.workflow.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.Retries;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.StepOptions;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.event.WorkflowListener;
import dev.opsflow.workflow.testing.ManualClock;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A listener that is also a {@link RequestDecorator} adds headers to the requests a run's steps
 * send through {@link JsonHttpClient}, naming the attempt that sends them; nothing else is touched.
 */
class RequestDecoratorTest {
  TestServer server;
  JsonHttpClient client;

  /** Sends the step's name and attempt in a header, as a tracer sends its span's context. */
  static final class Tagger implements WorkflowListener, RequestDecorator {
    @Override
    public Map<String, String> headers(StepAttempt attempt, String method, URI uri) {
      return Map.of(
          "X-Step",
          attempt.workflow() + "/" + attempt.step() + "#" + attempt.attempt() + " " + method);
    }

    @Override
    public void onEvent(WorkflowEvent event) {}
  }

  @BeforeEach
  void start() throws Exception {
    server = TestServer.http().on("GET", "/ping", 200, "{}").on("GET", "/fail", 503, "{}");
    client = JsonHttpClient.create(HttpSettings.of(server.baseUri()));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void requestsSentByAStepCarryTheDecoratorsHeadersForEachAttempt() {
    var clock = new ManualClock();
    var calls = new AtomicInteger();
    Workflow workflow =
        Workflow.builder("probe")
            .step(
                "ping",
                ctx -> {
                  client.get("/ping", Void.class);
                  if (calls.incrementAndGet() == 1) {
                    client.get("/fail", Void.class);
                  }
                },
                StepOptions.defaults()
                    .withRetry(
                        Retries.exponential(2, Duration.ofSeconds(1), Duration.ofSeconds(2))))
            .build();
    try (var engine =
        WorkflowEngine.builder().clock(clock).sleeper(clock).listener(new Tagger()).build()) {
      WorkflowResult result = engine.run(workflow, Map.of());

      assertThat(result.status()).isEqualTo(RunState.COMPLETED);
    }
    assertThat(server.requests())
        .extracting(r -> r.path() + " " + r.header("X-Step"))
        .containsExactly(
            "/ping probe/ping#1 GET", "/fail probe/ping#1 GET", "/ping probe/ping#2 GET");
  }

  @Test
  void aRequestOutsideARunIsNotDecorated() {
    try (var engine = WorkflowEngine.builder().listener(new Tagger()).build()) {
      client.get("/ping", Void.class);

      assertThat(engine.ownerId()).isNotBlank();
    }
    assertThat(server.lastRequest().header("X-Step")).isNull();
  }

  @Test
  void theRequestsOwnHeaderWinsOverTheDecorators() {
    Workflow workflow =
        Workflow.builder("probe")
            .step(
                "ping",
                ctx ->
                    client.send(
                        HttpRequestSpec.get("/ping").withHeader("X-Step", "mine"), Void.class))
            .build();
    try (var engine = WorkflowEngine.builder().listener(new Tagger()).build()) {
      engine.run(workflow, Map.of());
    }
    assertThat(server.requests()).extracting(r -> r.header("X-Step")).isEqualTo(List.of("mine"));
  }
}
