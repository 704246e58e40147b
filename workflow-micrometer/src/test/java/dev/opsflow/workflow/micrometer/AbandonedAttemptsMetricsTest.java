package dev.opsflow.workflow.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.StepOptions;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.event.WorkflowEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A step that ignores its timeout is abandoned by the engine: counted, and shown in the gauge while
 * its thread still runs. Real time: the engine's watchdog interrupts on the real clock (100 ms).
 */
class AbandonedAttemptsMetricsTest {

  @Test
  void anAbandonedAttemptIsCountedAndGaugedUntilItsThreadEnds() throws Exception {
    var registry = new SimpleMeterRegistry();
    var release = new AtomicBoolean();
    var ended = new CountDownLatch(1);
    Workflow stuck =
        Workflow.builder("firmware")
            .step(
                "flash",
                ctx -> {
                  while (!release.get()) {
                    Thread.onSpinWait(); // ignores the interrupt, as a blocked native call would
                  }
                },
                StepOptions.defaults().withTimeout(Duration.ofMillis(100)))
            .build();
    try (var engine =
        WorkflowEngine.builder()
            .listener(WorkflowMetrics.of(registry))
            .listener(
                e -> {
                  if (e instanceof WorkflowEvent.AbandonedAttemptEnded) {
                    ended.countDown();
                  }
                })
            .build()) {
      WorkflowResult result = engine.run(stuck, Map.of());

      assertThat(result.status()).isEqualTo(RunState.FAILED);
      assertThat(registry.get("opsflow.attempts.abandoned.running").gauge().value()).isEqualTo(1.0);
      assertThat(
              registry
                  .get("opsflow.attempts.abandoned")
                  .tags("workflow", "firmware", "step", "flash")
                  .counter()
                  .count())
          .isEqualTo(1.0);

      release.set(true);
      assertThat(ended.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(registry.get("opsflow.attempts.abandoned.running").gauge().value()).isZero();
    }
  }
}
