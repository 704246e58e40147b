package dev.opsflow.workflow.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Retries;
import dev.opsflow.workflow.StepOptions;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowException;
import dev.opsflow.workflow.testing.ManualClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The metrics as Prometheus scrapes them: the names and labels docs/metrics.md shows. The scrape is
 * written to target/prometheus-scrape.txt, where the page's example comes from.
 */
class PrometheusScrapeTest {

  @Test
  void aScrapeShowsRunsStepsRetriesAndActiveRunsUnderPrometheusNames() throws Exception {
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    var clock = new ManualClock();
    var calls = new AtomicInteger();
    Workflow workflow =
        Workflow.builder("create-database")
            .step("validate", ctx -> ctx.sleep(Duration.ofMillis(20)))
            .step(
                "create",
                ctx -> {
                  ctx.sleep(Duration.ofSeconds(4));
                  if (calls.incrementAndGet() == 1) {
                    throw new WorkflowException(ErrorKind.CONNECTION, "connection refused");
                  }
                },
                StepOptions.defaults()
                    .withRetry(
                        Retries.builder()
                            .withMaxAttempts(3)
                            .withDelay(Duration.ofSeconds(1))
                            .build()))
            .build();
    try (var engine =
        WorkflowEngine.builder()
            .clock(clock)
            .sleeper(clock)
            .listener(WorkflowMetrics.of(registry))
            .build()) {
      engine.run(workflow, Map.of());
    }

    String scrape = registry.scrape();
    Files.writeString(Path.of("target", "prometheus-scrape.txt"), scrape);

    assertThat(scrape)
        .contains("opsflow_runs_started_total{resumed=\"false\",workflow=\"create-database\"} 1")
        .contains("opsflow_runs_seconds_count{status=\"completed\",workflow=\"create-database\"} 1")
        .contains(
            "opsflow_runs_seconds_sum{status=\"completed\",workflow=\"create-database\"} 9.02")
        .contains(
            "opsflow_steps_seconds_sum{outcome=\"succeeded\",step=\"create\",workflow=\"create-database\"} 9.0")
        .contains(
            "opsflow_step_retries_total{error=\"connection\",step=\"create\",workflow=\"create-database\"} 1")
        .contains("opsflow_runs_active{workflow=\"create-database\"} 0")
        .contains("opsflow_batch_items_active{state=\"running\"} 0");
  }
}
