package dev.opsflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.testing.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Polling steps behave the same whether they poll in place ({@code engine.run}) or wait between
 * polls holding no thread ({@code engine.start}): the same polls, waits, timeouts, retries, events
 * and results.
 */
class PollingStepTest {
  static final Key<String> STATE = Key.of("state", String.class);

  final ManualClock clock = new ManualClock();
  final Recorder recorder = new Recorder();
  final WorkflowEngine engine =
      WorkflowEngine.builder().clock(clock).sleeper(clock).listener(recorder).build();

  @AfterEach
  void close() {
    engine.close();
  }

  private WorkflowResult run(boolean started, Workflow wf) {
    return started
        ? engine.start(wf, Map.of(), RunOptions.defaults()).await(Duration.ofSeconds(30))
        : engine.run(wf, Map.of());
  }

  /** A task that finishes at its 4th poll; polls wait 10 s, 20 s, 30 s. */
  @ParameterizedTest(name = "started={0}")
  @ValueSource(booleans = {false, true})
  void pollsUntilDoneWaitingWhatEachPollAsks(boolean started) {
    var counts = new CopyOnWriteArrayList<Integer>();
    var wf =
        Workflow.builder("task")
            .step("submit", ctx -> ctx.put(STATE, "submitted"))
            .step(
                Step.poll(
                    "wait-task",
                    (ctx, polling) -> {
                      counts.add(polling.count());
                      ctx.subTask("poll " + polling.count());
                      if (polling.count() == 4) {
                        ctx.put(STATE, "done");
                        ctx.output("polls", polling.count());
                        return Poll.done();
                      }
                      return Poll.again(Duration.ofSeconds(10L * polling.count()));
                    }))
            .step("after", ctx -> ctx.output("state", ctx.require(STATE)))
            .build();

    WorkflowResult result = run(started, wf);

    assertThat(result.status()).isEqualTo(RunState.COMPLETED);
    assertThat(counts).containsExactly(1, 2, 3, 4);
    assertThat(clock.totalSleptMillis()).isEqualTo(60_000);
    assertThat(result.outputs()).containsEntry("polls", 4).containsEntry("state", "done");
    StepOutcome wait = result.steps().get(1);
    assertThat(wait.status()).isEqualTo(StepStatus.COMPLETED);
    assertThat(wait.attempts()).isEqualTo(1);
    assertThat(wait.durationMs()).isEqualTo(60_000);
    assertThat(types())
        .containsExactly(
            "RunStarted",
            "StepStarted",
            "StepSucceeded",
            "StepStarted",
            "StepProgress",
            "StepProgress",
            "StepProgress",
            "StepProgress",
            "StepSucceeded",
            "StepStarted",
            "StepSucceeded",
            "RunFinished");
  }

  @ParameterizedTest(name = "started={0}")
  @ValueSource(booleans = {false, true})
  void aWaitPastTheStepTimeoutFailsAsTimeoutAtTheDeadline(boolean started) {
    var polls = new AtomicInteger();
    var wf =
        Workflow.builder("slow")
            .step(
                Step.poll(
                    "wait-forever",
                    (ctx, polling) -> {
                      polls.incrementAndGet();
                      return Poll.again(Duration.ofMinutes(4));
                    }),
                StepOptions.defaults().withTimeout(Duration.ofMinutes(10)))
            .build();

    WorkflowResult result = run(started, wf);

    assertThat(result.status()).isEqualTo(RunState.FAILED);
    assertThat(result.steps().get(0).status()).isEqualTo(StepStatus.TIMEOUT);
    assertThat(result.error().message()).contains("wait-forever").contains("timeout");
    // Polls at 0, 4 and 8 minutes; the wait after the third is cut at the 10-minute deadline.
    assertThat(polls).hasValue(3);
    assertThat(clock.totalSleptMillis()).isEqualTo(Duration.ofMinutes(10).toMillis());
  }

  @ParameterizedTest(name = "started={0}")
  @ValueSource(booleans = {false, true})
  void aPollThatThrowsEndsTheAttemptAndARetryPollsAfresh(boolean started) {
    var seen = new CopyOnWriteArrayList<String>();
    var wf =
        Workflow.builder("flaky")
            .step(
                Step.poll(
                    "wait",
                    (ctx, polling) -> {
                      seen.add(ctx.attempt() + "." + polling.count());
                      if (ctx.attempt() == 1 && polling.count() == 2) {
                        throw new IOException("connection reset");
                      }
                      return polling.count() == 3 ? Poll.done() : Poll.again(Duration.ofSeconds(5));
                    }),
                StepOptions.defaults()
                    .withRetry(
                        Retries.exponential(3, Duration.ofSeconds(1), Duration.ofSeconds(2))))
            .build();

    WorkflowResult result = run(started, wf);

    assertThat(result.status()).isEqualTo(RunState.COMPLETED);
    assertThat(seen).containsExactly("1.1", "1.2", "2.1", "2.2", "2.3");
    assertThat(result.steps().get(0).attempts()).isEqualTo(2);
    var retrying = recorder.of(WorkflowEvent.StepRetrying.class);
    assertThat(retrying).hasSize(1);
    assertThat(retrying.get(0).cause()).contains("connection reset");
    assertThat(clock.totalSleptMillis()).isEqualTo(5_000 + retrying.get(0).delayMs() + 10_000);
  }

  @ParameterizedTest(name = "started={0}")
  @ValueSource(booleans = {false, true})
  void aFailingPollWithoutRetryFailsTheStepAndRollsBackWhatCompleted(boolean started) {
    var undone = new AtomicInteger();
    var wf =
        Workflow.builder("broken")
            .step(
                Step.builder("create")
                    .run(ctx -> {})
                    .compensate(ctx -> undone.incrementAndGet())
                    .build())
            .step(
                Step.poll(
                    "wait",
                    (ctx, polling) -> {
                      if (polling.count() == 2) {
                        throw new WorkflowException(ErrorKind.REMOTE_FAILURE, "task failed: quota");
                      }
                      return Poll.again(Duration.ofSeconds(2));
                    }))
            .build();

    WorkflowResult result =
        started
            ? engine
                .start(wf, Map.of(), RunOptions.defaults().withRollback(true))
                .await(Duration.ofSeconds(30))
            : engine.run(wf, Map.of(), RunOptions.defaults().withRollback(true));

    assertThat(result.status()).isEqualTo(RunState.ROLLED_BACK);
    assertThat(result.error().message()).contains("task failed: quota");
    assertThat(undone).hasValue(1);
  }

  /** Await.poll: the interval grows by the backoff up to its cap; the timeout names the state. */
  @ParameterizedTest(name = "started={0}")
  @ValueSource(booleans = {false, true})
  void anAwaitPollBacksOffAndTimesOutNamingTheLastState(boolean started) {
    var times = new CopyOnWriteArrayList<Long>();
    long t0 = clock.millis();
    var wf =
        Workflow.builder("await")
            .step(
                Step.poll(
                    "wait-task",
                    (ctx, polling) ->
                        Await.<String>on(ctx, "task 42")
                            .every(Duration.ofSeconds(2))
                            .backoff(2)
                            .atMost(Duration.ofSeconds(10))
                            .timeout(Duration.ofSeconds(30))
                            .poll(
                                polling,
                                () -> {
                                  times.add((clock.millis() - t0) / 1000);
                                  return "processing-in-progress";
                                },
                                "processing-completed"::equals,
                                state -> state)))
            .build();

    WorkflowResult result = run(started, wf);

    assertThat(result.status()).isEqualTo(RunState.FAILED);
    assertThat(result.steps().get(0).status()).isEqualTo(StepStatus.TIMEOUT);
    assertThat(result.error().message())
        .contains("timed out after 30s waiting for task 42")
        .contains("last state seen: processing-in-progress");
    // 2 s, 4 s, 8 s, then the 10 s cap, the last wait cut to land on the deadline.
    assertThat(times).containsExactly(0L, 2L, 6L, 14L, 24L, 30L);
  }

  @ParameterizedTest(name = "started={0}")
  @ValueSource(booleans = {false, true})
  void anAwaitPollFailsAtOnceOnAFailureState(boolean started) {
    var wf =
        Workflow.builder("await")
            .step(
                Step.poll(
                    "wait-task",
                    (ctx, polling) ->
                        Await.<String>on(ctx, "task 7")
                            .failWhen("processing-error"::equals)
                            .poll(
                                polling,
                                () -> polling.count() < 3 ? "received" : "processing-error",
                                "processing-completed"::equals,
                                state -> state)))
            .build();

    WorkflowResult result = run(started, wf);

    assertThat(result.status()).isEqualTo(RunState.FAILED);
    assertThat(result.error().message()).contains("task 7 ended in failure: processing-error");
    assertThat(clock.totalSleptMillis()).isEqualTo(4_000);
  }

  @Test
  void aPollingStepBuiltWithBothRunAndPollIsRefused() {
    assertThatThrownBy(() -> Step.builder("x").run(ctx -> {}).poll((ctx, p) -> Poll.done()).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("both");
    assertThatThrownBy(() -> Poll.again(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * With the real clock: a run waiting an hour between polls is cancelled at once, no thread held.
   */
  @Test
  void aCancelEndsAWaitWithoutWaitingForIt() throws Exception {
    var polled = new CountDownLatch(1);
    var undone = new AtomicInteger();
    var wf =
        Workflow.builder("long-wait")
            .step(
                Step.builder("create")
                    .run(ctx -> {})
                    .compensate(ctx -> undone.incrementAndGet())
                    .build())
            .step(
                Step.poll(
                    "wait-an-hour",
                    (ctx, polling) -> {
                      polled.countDown();
                      return Poll.again(Duration.ofHours(1));
                    }))
            .build();
    try (var real = WorkflowEngine.builder().build()) {
      WorkflowRun run = real.start(wf, Map.of(), RunOptions.defaults().withRollback(true));
      assertThat(polled.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(run.status().currentStep()).isEqualTo("wait-an-hour");

      run.cancel();
      WorkflowResult result = run.await(Duration.ofSeconds(30));

      assertThat(result.status()).isEqualTo(RunState.CANCELLED);
      assertThat(result.steps().get(1).status()).isEqualTo(StepStatus.CANCELLED);
      assertThat(result.error().message()).contains("cancelled while step 'wait-an-hour' waited");
      assertThat(undone).hasValue(1);
    }
  }

  /**
   * With the real clock: a wait that ends at once (its timer firing before the thread that set it
   * has gone on) must not leave its wake in place of the next wait's, or a cancel during that next,
   * hour-long wait would wake nothing (13 runs in 3,000 never ended on a loaded machine).
   */
  @Test
  void aCancelEndsTheWaitAfterOneThatEndedAtOnce() throws Exception {
    var second = new CountDownLatch(1);
    var wf =
        Workflow.builder("short-then-long")
            .step(
                Step.poll(
                    "wait",
                    (ctx, polling) -> {
                      if (polling.count() == 1) {
                        return Poll.again(Duration.ofNanos(1));
                      }
                      second.countDown();
                      return Poll.again(Duration.ofHours(1));
                    }))
            .build();
    try (var real = WorkflowEngine.builder().build()) {
      WorkflowRun run = real.start(wf, Map.of(), RunOptions.defaults());
      assertThat(second.await(30, TimeUnit.SECONDS)).isTrue();

      run.cancel();

      assertThat(run.await(Duration.ofSeconds(30)).status()).isEqualTo(RunState.CANCELLED);
    }
  }

  private List<String> types() {
    var out = new ArrayList<String>();
    for (WorkflowEvent e : recorder.events) {
      out.add(e.getClass().getSimpleName());
    }
    return out;
  }
}
