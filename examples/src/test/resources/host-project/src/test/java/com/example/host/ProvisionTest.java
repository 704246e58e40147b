package com.example.host;

import static dev.opsflow.workflow.test.WorkflowAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.micrometer.WorkflowMetrics;
import dev.opsflow.workflow.opentelemetry.WorkflowTracing;
import dev.opsflow.workflow.test.EventLog;
import dev.opsflow.workflow.test.WorkflowExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A host's workflow, run with metrics and traces through the kit, both read back. */
class ProvisionTest {
  static final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  static final InMemorySpanExporter spans = InMemorySpanExporter.create();
  static final OpenTelemetrySdk otel =
      OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
          .build();

  @RegisterExtension
  static final WorkflowExtension opsflow =
      new WorkflowExtension()
          .withListener(WorkflowMetrics.of(registry))
          .withListener(WorkflowTracing.of(otel));

  @Test
  void aRunIsMeasuredAndTraced(WorkflowEngine engine, EventLog events) {
    Workflow provision =
        Workflow.builder("provision")
            .step("allocate", ctx -> ctx.sleep(Duration.ofMinutes(3)))
            .step("configure", ctx -> ctx.subTask("writing the configuration"))
            .build();

    WorkflowResult result = engine.run(provision, Map.of());

    assertThat(result).isCompleted().step("allocate").wasCompleted();
    assertThat(events).areInOrder().startedSteps("allocate", "configure");
    assertThat(registry.get("opsflow.runs").tag("status", "completed").timer().totalTime(TimeUnit.MINUTES))
        .isEqualTo(3.0);
    assertThat(spans.getFinishedSpanItems())
        .extracting(SpanData::getName)
        .containsExactlyInAnyOrder("step allocate", "step configure", "run provision");
  }
}
