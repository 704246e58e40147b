package dev.opsflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.testing.ManualClock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TimeoutTest {

  @Test
  void aBlockedStepIsInterruptedAtItsTimeoutAndFailsAsTimeout() {
    var never = new CountDownLatch(1);
    var interrupted = new AtomicInteger();
    var wf =
        Workflow.builder("stuck")
            .step(
                "hang",
                ctx -> {
                  try {
                    never.await();
                  } catch (InterruptedException e) {
                    interrupted.incrementAndGet();
                    throw e;
                  }
                },
                StepOptions.defaults().withTimeout(Duration.ofMillis(100)))
            .build();
    try (var engine = WorkflowEngine.builder().build()) {

      WorkflowResult result = engine.run(wf, Map.of());

      assertThat(interrupted).hasValue(1);
      assertThat(result.status()).isEqualTo(RunState.FAILED);
      assertThat(result.steps().get(0).status()).isEqualTo(StepStatus.TIMEOUT);
      assertThat(result.error().type()).isEqualTo(ErrorKind.TIMEOUT);
      assertThat(result.error().message()).contains("hang").contains("PT0.1S");
    }
  }

  @Test
  void aStepThatFinishedIsNeverRunAgainBecauseOfATimeoutOrARetry() {
    var runs = new AtomicInteger();
    var wf =
        Workflow.builder("quick")
            .step(
                "fast",
                ctx -> runs.incrementAndGet(),
                StepOptions.defaults()
                    .withTimeout(Duration.ofMillis(50))
                    .withRetry(Retries.exponential(3, Duration.ofMillis(1), Duration.ofMillis(2))))
            .step("next", ctx -> Thread.sleep(120))
            .build();
    try (var engine = WorkflowEngine.builder().build()) {

      WorkflowResult result = engine.run(wf, Map.of());

      assertThat(result.success()).isTrue();
      assertThat(runs).hasValue(1);
      assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }
  }

  @Test
  void aTimedOutAttemptIsRetriedWhenThePolicyAllows() {
    var attempts = new AtomicInteger();
    var wf =
        Workflow.builder("slow-then-fast")
            .step(
                "call",
                ctx -> {
                  if (attempts.incrementAndGet() == 1) {
                    new CountDownLatch(1).await();
                  }
                },
                StepOptions.defaults()
                    .withTimeout(Duration.ofMillis(100))
                    .withRetry(Retries.exponential(2, Duration.ofMillis(1), Duration.ofMillis(2))))
            .build();
    try (var engine = WorkflowEngine.builder().build()) {

      WorkflowResult result = engine.run(wf, Map.of());

      assertThat(result.success()).isTrue();
      assertThat(result.steps().get(0).attempts()).isEqualTo(2);
    }
  }

  @Test
  void thirtyMinuteStepTimeoutUnderTheManualClockFinishesInMilliseconds() {
    var clock = new ManualClock();
    var wf =
        Workflow.builder("long-wait")
            .step(
                "wait",
                ctx -> {
                  while (true) {
                    ctx.sleep(Duration.ofMinutes(1));
                  }
                },
                StepOptions.defaults().withTimeout(Duration.ofMinutes(30)))
            .build();
    try (var engine = WorkflowEngine.builder().clock(clock).sleeper(clock).build()) {
      long start = System.nanoTime();

      WorkflowResult result = engine.run(wf, Map.of());

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThat(result.steps().get(0).status()).isEqualTo(StepStatus.TIMEOUT);
      assertThat(clock.totalSleptMillis()).isEqualTo(Duration.ofMinutes(30).toMillis());
    }
  }

  @Test
  void theWholeRunTimesOutAcrossSteps() {
    var clock = new ManualClock();
    var wf =
        Workflow.builder("budget")
            .step("a", ctx -> ctx.sleep(Duration.ofMinutes(20)))
            .step("b", ctx -> ctx.sleep(Duration.ofMinutes(20)))
            .step("c", ctx -> {})
            .build();
    try (var engine = WorkflowEngine.builder().clock(clock).sleeper(clock).build()) {

      WorkflowResult result =
          engine.run(wf, Map.of(), RunOptions.defaults().withTimeout(Duration.ofMinutes(30)));

      assertThat(result.success()).isFalse();
      assertThat(result.error().type()).isEqualTo(ErrorKind.TIMEOUT);
      assertThat(result.step("b").orElseThrow().status()).isEqualTo(StepStatus.TIMEOUT);
      assertThat(result.step("c").orElseThrow().status()).isEqualTo(StepStatus.PENDING);
    }
  }
}
