package dev.opsflow.workflow.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowException;
import dev.opsflow.workflow.WorkflowRun;
import dev.opsflow.workflow.batch.Batch;
import dev.opsflow.workflow.batch.BatchItem;
import dev.opsflow.workflow.batch.BatchRun;
import dev.opsflow.workflow.store.FileExecutionStore;
import dev.opsflow.workflow.testing.ManualClock;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs that execute on the engine's threads ({@code start}, {@code resume}, batches) continue the
 * trace of the thread that asked for them, read back from the SDK's in-memory exporter.
 */
class CallerTraceTest {
  @TempDir Path dir;

  final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  final ManualClock clock = new ManualClock();
  final OpenTelemetrySdk otel =
      OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder()
                  .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                  .build())
          .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
          .build();

  WorkflowEngine engine(boolean traced, FileExecutionStore store) {
    var builder = WorkflowEngine.builder().clock(clock).sleeper(clock);
    if (traced) {
      builder.listener(WorkflowTracing.of(otel));
    }
    return (store == null ? builder : builder.store(store)).build();
  }

  /** Calls {@code action} inside a span of the host, which ends right after it returns. */
  <T> T inHostSpan(Span host, Supplier<T> action) {
    try (Scope ignored = host.makeCurrent()) {
      return action.get();
    } finally {
      host.end();
    }
  }

  Span hostSpan() {
    return otel.getTracer("host").spanBuilder("handle request").startSpan();
  }

  List<SpanData> named(String name) {
    return exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
  }

  static final Workflow ONE_STEP = Workflow.builder("w").step("s", ctx -> {}).build();

  @Test
  void aRunStartedInTheHostsSpanIsItsChildThoughItExecutesOnAnotherThread() {
    Span host = hostSpan();
    try (var engine = engine(true, null)) {
      // The host's span has ended and its scope is closed before the run is awaited.
      WorkflowRun run = inHostSpan(host, () -> engine.start(ONE_STEP, Map.of()));
      assertThat(run.await(Duration.ofSeconds(30)).status()).isEqualTo(RunState.COMPLETED);
    }
    SpanData span = named("run w").get(0);

    assertThat(span.getTraceId()).isEqualTo(host.getSpanContext().getTraceId());
    assertThat(span.getParentSpanId()).isEqualTo(host.getSpanContext().getSpanId());
    assertThat(named("step s").get(0).getParentSpanId()).isEqualTo(span.getSpanId());
  }

  @Test
  void aRunStartedOutsideAnySpanBeginsATraceOfItsOwn() {
    try (var engine = engine(true, null)) {
      engine.start(ONE_STEP, Map.of()).await(Duration.ofSeconds(30));
    }

    assertThat(named("run w").get(0).getParentSpanContext().isValid()).isFalse();
  }

  @Test
  void everyItemOfABatchStartedInTheHostsSpanIsItsChild() {
    Span host = hostSpan();
    var items = List.of(BatchItem.of("a", Map.of()), BatchItem.of("b", Map.of()));
    try (var engine = engine(true, null)) {
      BatchRun batch = inHostSpan(host, () -> Batch.of(items).start(engine, ONE_STEP));
      batch.await();
    }

    assertThat(named("run w"))
        .hasSize(2)
        .allSatisfy(
            run -> {
              assertThat(run.getTraceId()).isEqualTo(host.getSpanContext().getTraceId());
              assertThat(run.getParentSpanId()).isEqualTo(host.getSpanContext().getSpanId());
            });
  }

  /** Fails its second step until {@code healthy} is set: the run ends PARTIAL, resumable. */
  static Workflow deploy(AtomicBoolean healthy) {
    return Workflow.builder("deploy")
        .step("prepare", ctx -> {})
        .step(
            "verify",
            ctx -> {
              if (!healthy.get()) {
                throw new WorkflowException(ErrorKind.REMOTE_FAILURE, "health check failed");
              }
            })
        .build();
  }

  @Test
  void aRunResumedInTheHostsSpanStaysInItsOwnTraceAndLinksTheHostsSpan() {
    var healthy = new AtomicBoolean(false);
    String runId;
    try (var engine = engine(true, FileExecutionStore.open(dir))) {
      runId = engine.run(deploy(healthy), Map.of()).runId();
    }
    SpanData first = named("run deploy").get(0);
    healthy.set(true);

    Span host = hostSpan();
    try (var engine = engine(true, FileExecutionStore.open(dir))) {
      WorkflowRun run = inHostSpan(host, () -> engine.resume(runId, deploy(healthy)));
      assertThat(run.await(Duration.ofSeconds(30)).status()).isEqualTo(RunState.COMPLETED);
    }
    SpanData resumed = named("run deploy").get(1);

    assertThat(resumed.getTraceId()).isEqualTo(first.getTraceId());
    assertThat(resumed.getParentSpanId()).isEqualTo(first.getSpanId());
    assertThat(resumed.getLinks())
        .extracting(LinkData::getSpanContext)
        .extracting(SpanContext::getSpanId)
        .containsExactly(host.getSpanContext().getSpanId());
  }

  @Test
  void aRunWithoutAStoredTraceResumedInTheHostsSpanIsItsChild() {
    var healthy = new AtomicBoolean(false);
    String runId;
    try (var engine = engine(false, FileExecutionStore.open(dir))) {
      runId = engine.run(deploy(healthy), Map.of()).runId();
    }
    healthy.set(true);

    Span host = hostSpan();
    try (var engine = engine(true, FileExecutionStore.open(dir))) {
      inHostSpan(host, () -> engine.resume(runId, deploy(healthy))).await(Duration.ofSeconds(30));
    }
    SpanData resumed = named("run deploy").get(0);

    assertThat(resumed.getParentSpanId()).isEqualTo(host.getSpanContext().getSpanId());
    assertThat(resumed.getLinks()).isEmpty();
  }
}
