package dev.opsflow.workflow.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.opsflow.workflow.ApiException;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Retries;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.StepOptions;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowException;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.http.HttpSettings;
import dev.opsflow.workflow.http.JsonHttpClient;
import dev.opsflow.workflow.store.FileExecutionStore;
import dev.opsflow.workflow.testing.ManualClock;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link WorkflowTracing} exports, read back from the SDK's in-memory exporter. */
class WorkflowTracingTest {
  @TempDir Path dir;

  final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  final ManualClock clock = new ManualClock();
  HttpServer server;
  final List<String> traceparents = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startServer() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String header = exchange.getRequestHeaders().getFirst("traceparent");
          traceparents.add(header == null ? "none" : header);
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  /** A fresh SDK exporting to the shared in-memory exporter (a new one per "JVM"). */
  OpenTelemetrySdk sdk() {
    return OpenTelemetrySdk.builder()
        .setTracerProvider(
            SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                .build())
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build();
  }

  WorkflowEngine engine(OpenTelemetry otel, FileExecutionStore store) {
    var builder =
        WorkflowEngine.builder().clock(clock).sleeper(clock).listener(WorkflowTracing.of(otel));
    return (store == null ? builder : builder.store(store)).build();
  }

  JsonHttpClient client() {
    return JsonHttpClient.create(
        HttpSettings.of("http://127.0.0.1:" + server.getAddress().getPort()));
  }

  /** Calls the server, fails its first attempt with a 503, then reports a sub-task. */
  Workflow flaky(JsonHttpClient client) {
    var calls = new AtomicInteger();
    return Workflow.builder("provision")
        .step(
            "create",
            ctx -> {
              client.get("/create", Void.class);
              ctx.sleep(Duration.ofSeconds(2));
              if (calls.incrementAndGet() == 1) {
                throw new ApiException("POST", "/v1/bdbs", 503, null, "busy", true, null, null);
              }
              ctx.subTask("waiting for the database to be active");
            },
            StepOptions.defaults()
                .withRetry(
                    Retries.builder().withMaxAttempts(2).withDelay(Duration.ofSeconds(1)).build()))
        .build();
  }

  static SpanData named(List<SpanData> spans, String name, int index) {
    return spans.stream().filter(s -> s.getName().equals(name)).toList().get(index);
  }

  @Test
  void aRunHasASpanAndEachStepAttemptOneUnderItWithRetriesAndSubTasks() {
    try (var engine = engine(sdk(), null)) {
      assertThat(engine.run(flaky(client()), Map.of()).status()).isEqualTo(RunState.COMPLETED);
    }
    List<SpanData> spans = exporter.getFinishedSpanItems();
    SpanData run = named(spans, "run provision", 0);
    SpanData first = named(spans, "step create", 0);
    SpanData second = named(spans, "step create", 1);

    assertThat(spans).hasSize(3).allMatch(s -> s.getTraceId().equals(run.getTraceId()));
    assertThat(first.getParentSpanId()).isEqualTo(run.getSpanId());
    assertThat(first.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(first.getAttributes().get(WorkflowTracing.ERROR_TYPE)).isEqualTo("api");
    assertThat(first.getAttributes().get(WorkflowTracing.RETRY_COUNT)).isZero();
    assertThat(first.getEvents()).extracting(e -> e.getName()).containsExactly("retrying");
    assertThat(second.getAttributes().get(WorkflowTracing.RETRY_COUNT)).isEqualTo(1L);
    assertThat(second.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
    assertThat(second.getEvents())
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getAttributes().get(WorkflowTracing.SUB_TASK))
                    .isEqualTo("waiting for the database to be active"));
    // Timed by the engine's (manual) clock: 2 s, 1 s backoff, 2 s.
    assertThat(run.getEndEpochNanos() - run.getStartEpochNanos())
        .isEqualTo(Duration.ofSeconds(5).toNanos());
    assertThat(run.getAttributes().get(WorkflowTracing.STATUS)).isEqualTo("completed");
  }

  @Test
  void eachAttemptsHttpRequestsCarryItsSpansTraceparent() {
    try (var engine = engine(sdk(), null)) {
      engine.run(flaky(client()), Map.of());
    }
    List<SpanData> spans = exporter.getFinishedSpanItems();
    SpanData first = named(spans, "step create", 0);
    SpanData second = named(spans, "step create", 1);

    assertThat(traceparents).containsExactly(traceparentOf(first), traceparentOf(second));
  }

  static String traceparentOf(SpanData span) {
    return "00-"
        + span.getTraceId()
        + "-"
        + span.getSpanId()
        + "-"
        + span.getSpanContext().getTraceFlags().asHex();
  }

  @Test
  void withoutATracerNoHeaderIsSent() {
    try (var engine = engine(OpenTelemetry.noop(), null)) {
      engine.run(flaky(client()), Map.of());
    }
    assertThat(traceparents).containsExactly("none", "none");
  }

  @Test
  void aRunInsideTheHostsSpanContinuesTheHostsTrace() {
    OpenTelemetrySdk otel = sdk();
    Span host = otel.getTracer("host").spanBuilder("handle request").startSpan();
    try (var engine = engine(otel, null)) {
      Scope current = host.makeCurrent();
      try {
        engine.run(Workflow.builder("w").step("s", ctx -> {}).build(), Map.of());
      } finally {
        current.close();
      }
    } finally {
      host.end();
    }
    SpanData run = named(exporter.getFinishedSpanItems(), "run w", 0);

    assertThat(run.getTraceId()).isEqualTo(host.getSpanContext().getTraceId());
    assertThat(run.getParentSpanId()).isEqualTo(host.getSpanContext().getSpanId());
  }

  @Test
  void aRunResumedByAnotherEngineContinuesItsTraceFromTheStore() {
    var healthy = new AtomicBoolean(false);
    Workflow workflow =
        Workflow.builder("deploy")
            .step("prepare", ctx -> {})
            .step(
                "verify",
                ctx -> {
                  if (!healthy.get()) {
                    throw new WorkflowException(ErrorKind.REMOTE_FAILURE, "health check failed");
                  }
                })
            .build();
    String runId;
    try (var engine = engine(sdk(), FileExecutionStore.open(dir))) {
      WorkflowResult partial = engine.run(workflow, Map.of());
      assertThat(partial.status()).isEqualTo(RunState.PARTIAL);
      runId = partial.runId();
    }
    SpanData firstRun = named(exporter.getFinishedSpanItems(), "run deploy", 0);
    assertThat(firstRun.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(firstRun.getAttributes().get(WorkflowTracing.ERROR_TYPE))
        .isEqualTo("remote_failure");

    healthy.set(true);
    // Another SDK and engine over the same directory: as after a restart.
    try (var engine = engine(sdk(), FileExecutionStore.open(dir))) {
      assertThat(engine.resume(runId, workflow).await(Duration.ofSeconds(30)).status())
          .isEqualTo(RunState.COMPLETED);
    }
    SpanData resumed = named(exporter.getFinishedSpanItems(), "run deploy", 1);

    assertThat(resumed.getTraceId()).isEqualTo(firstRun.getTraceId());
    assertThat(resumed.getParentSpanId()).isEqualTo(firstRun.getSpanId());
    assertThat(resumed.getAttributes().get(WorkflowTracing.RESUMED)).isTrue();
    assertThat(named(exporter.getFinishedSpanItems(), "step verify", 1).getTraceId())
        .isEqualTo(firstRun.getTraceId());
  }
}
