package dev.opsflow.workflow.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.ApiException;
import dev.opsflow.workflow.Input;
import dev.opsflow.workflow.Key;
import dev.opsflow.workflow.Retries;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.StepOptions;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.batch.Batch;
import dev.opsflow.workflow.batch.BatchItem;
import dev.opsflow.workflow.batch.BatchResult;
import dev.opsflow.workflow.testing.ManualClock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What {@link WorkflowMetrics} records for runs, steps, retries and batches. */
class WorkflowMetricsTest {
  static final Key<String> HOST = Key.of("host", String.class);

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final WorkflowMetrics metrics = WorkflowMetrics.of(registry);
  final ManualClock clock = new ManualClock();
  final WorkflowEngine engine =
      WorkflowEngine.builder().clock(clock).sleeper(clock).listener(metrics).build();

  @AfterEach
  void close() {
    engine.close();
  }

  /** Waits 2 s, fails its first attempt with a 503 (retried after 1 s), then succeeds. */
  Workflow flaky() {
    var calls = new AtomicInteger();
    return Workflow.builder("provision")
        .step(
            "create",
            ctx -> {
              ctx.sleep(Duration.ofSeconds(2));
              if (calls.incrementAndGet() == 1) {
                throw new ApiException(
                    "POST", "/v1/things", 503, "busy", "the API is busy", true, null, null);
              }
            },
            StepOptions.defaults()
                .withRetry(
                    Retries.builder().withMaxAttempts(2).withDelay(Duration.ofSeconds(1)).build()))
        .step(
            Step.builder("register")
                .precheck(ctx -> Optional.of("registered already"))
                .run(ctx -> {})
                .build())
        .build();
  }

  @Test
  void aRunCountsAsStartedAndEndedByStatusWithItsDurationOnTheEnginesClock() {
    WorkflowResult result = engine.run(flaky(), Map.of());

    assertThat(result.status()).isEqualTo(RunState.COMPLETED);
    assertThat(registry.get("opsflow.runs.started").tag("workflow", "provision").counter().count())
        .isEqualTo(1.0);
    var runs = registry.get("opsflow.runs").tags("workflow", "provision", "status", "completed");
    assertThat(runs.timer().count()).isEqualTo(1);
    // 2 s, a 1 s backoff, 2 s again.
    assertThat(runs.timer().totalTime(TimeUnit.SECONDS)).isEqualTo(5.0);
    assertThat(registry.get("opsflow.runs.active").tag("workflow", "provision").gauge().value())
        .isZero();
  }

  @Test
  void stepsAreTimedByOutcomeAndRetriesAndSkipsCounted() {
    engine.run(flaky(), Map.of());

    var create = registry.get("opsflow.steps").tags("step", "create", "outcome", "succeeded");
    assertThat(create.timer().count()).isEqualTo(1);
    assertThat(create.timer().totalTime(TimeUnit.SECONDS)).isEqualTo(5.0);
    assertThat(
            registry
                .get("opsflow.step.retries")
                .tags("workflow", "provision", "step", "create", "error", "api")
                .counter()
                .count())
        .isEqualTo(1.0);
    assertThat(registry.get("opsflow.steps.skipped").tag("step", "register").counter().count())
        .isEqualTo(1.0);
  }

  @Test
  void aFailedStepIsTimedFromItsFirstAttemptAndTheRunEndsPartial() {
    Workflow broken =
        Workflow.builder("deploy")
            .step("prepare", ctx -> {})
            .step(
                "roll-out",
                ctx -> {
                  ctx.sleep(Duration.ofSeconds(3));
                  throw new IllegalStateException("health check failed");
                })
            .build();

    WorkflowResult result = engine.run(broken, Map.of());

    assertThat(result.status()).isEqualTo(RunState.PARTIAL);
    var failed = registry.get("opsflow.steps").tags("step", "roll-out", "outcome", "failed");
    assertThat(failed.timer().totalTime(TimeUnit.SECONDS)).isEqualTo(3.0);
    assertThat(registry.get("opsflow.runs").tag("status", "partial").timer().count()).isEqualTo(1);
  }

  @Test
  void aRunInFlightShowsInTheActiveGauge() {
    var seen = new AtomicReference<Double>();
    Workflow watching =
        Workflow.builder("watch")
            .step(
                "look",
                ctx ->
                    seen.set(
                        registry
                            .get("opsflow.runs.active")
                            .tag("workflow", "watch")
                            .gauge()
                            .value()))
            .build();

    engine.run(watching, Map.of());

    assertThat(seen.get()).isEqualTo(1.0);
    assertThat(registry.get("opsflow.runs.active").tag("workflow", "watch").gauge().value())
        .isZero();
  }

  @Test
  void batchItemsAreCountedByStateAndTheBatchInFlightShowsItsItems() {
    var running = new AtomicReference<Double>();
    Workflow commission =
        Workflow.builder("commission")
            .input(Input.required(HOST))
            .step(
                "check",
                ctx -> {
                  if (ctx.require(HOST).equals("bad")) {
                    throw new IllegalStateException("BMC unreachable");
                  }
                  running.set(
                      registry
                          .get("opsflow.batch.items.active")
                          .tag("state", "running")
                          .gauge()
                          .value());
                })
            .build();
    var items =
        List.of(
            BatchItem.of("a", Map.of("host", "a")),
            BatchItem.of("b", Map.of("host", "bad")),
            BatchItem.of("c", Map.of("host", "c")));

    BatchResult result = Batch.of(items).withListener(metrics).run(engine, commission);

    assertThat(result.counts().failed()).isEqualTo(1);
    assertThat(registry.get("opsflow.batch.items").tag("state", "succeeded").counter().count())
        .isEqualTo(2.0);
    assertThat(registry.get("opsflow.batch.items").tag("state", "failed").counter().count())
        .isEqualTo(1.0);
    assertThat(running.get()).isGreaterThanOrEqualTo(1.0);
    assertThat(registry.get("opsflow.batch.items.active").tag("state", "running").gauge().value())
        .isZero();
  }

  @Test
  void tagsAreLowCardinalityOnlyNeverARunIdOrAnItem() {
    engine.run(flaky(), Map.of());
    Batch.of(List.of(BatchItem.of("srv-1", Map.of("host", "x"))))
        .withListener(metrics)
        .run(
            engine,
            Workflow.builder("one").input(Input.required(HOST)).step("s", ctx -> {}).build());

    var allowed = Set.of("workflow", "step", "outcome", "status", "resumed", "error", "state");
    for (Meter meter : registry.getMeters()) {
      assertThat(meter.getId().getTags()).extracting(Tag::getKey).isSubsetOf(allowed);
      assertThat(meter.getId().getTags())
          .extracting(Tag::getValue)
          .noneMatch(v -> v.matches("[0-9a-f-]{36}") || v.equals("srv-1"));
    }
  }

  @Test
  void aParallelGroupsItemsShareOneStepTag() {
    assertThat(WorkflowMetrics.stepTag("probe[3]")).isEqualTo("probe[]");
    assertThat(WorkflowMetrics.stepTag("setup/probe[12]")).isEqualTo("setup/probe[]");
    assertThat(WorkflowMetrics.stepTag("create-database")).isEqualTo("create-database");
  }
}
