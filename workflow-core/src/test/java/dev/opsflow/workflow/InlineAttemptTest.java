package dev.opsflow.workflow;

import static dev.opsflow.workflow.StuckSteps.BOUND_MS;
import static dev.opsflow.workflow.StuckSteps.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.store.FileExecutionStore;
import dev.opsflow.workflow.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A step's attempts run inline on the run's own thread: no thread hand-off per step. When an
 * attempt ignores its timeout or a cancel past the grace, the engine abandons it and another thread
 * goes on with the run (retry, the next steps, failure and compensation) while the stuck thread is
 * left to finish; when it does, its end is reported and it leaves the run alone. The stuck steps
 * here never end by themselves: the test releases them, so each bound below is met only by the
 * engine.
 */
class InlineAttemptTest {
  @TempDir Path tmp;

  @RegisterExtension final StuckSteps stuckSteps = new StuckSteps();

  /** Records the thread of the run's start and of each step, by name. */
  private static final class Threads {
    final Map<String, Thread> seen = new ConcurrentHashMap<>();

    void listen(WorkflowEvent e) {
      if (e instanceof WorkflowEvent.RunStarted) {
        seen.put("run-started", Thread.currentThread());
      }
    }

    StepAction step(String name) {
      return ctx -> seen.put(name, Thread.currentThread());
    }
  }

  @Test
  void inTheCommonCaseEveryStepRunsOnTheThreadThatStartedTheRun() throws Exception {
    for (boolean sync : new boolean[] {true, false}) {
      var threads = new Threads();
      var wf =
          Workflow.builder("no-hand-off")
              .step("a", threads.step("a"))
              .step(
                  "b", threads.step("b"), StepOptions.defaults().withTimeout(Duration.ofMinutes(5)))
              .step("c", threads.step("c"))
              .build();
      var engine =
          stuckSteps.closeFirst(WorkflowEngine.builder().listener(threads::listen).build());

      WorkflowResult result =
          sync
              ? engine.run(wf, Map.of())
              : engine.start(wf, Map.of()).await(Duration.ofMillis(BOUND_MS));

      assertThat(result.status()).isEqualTo(RunState.COMPLETED);
      Thread runThread = threads.seen.get("run-started");
      assertThat(runThread).as("sync=" + sync).isNotNull().isNotSameAs(Thread.currentThread());
      assertThat(threads.seen.get("a")).as("sync=" + sync).isSameAs(runThread);
      assertThat(threads.seen.get("b")).as("sync=" + sync).isSameAs(runThread);
      assertThat(threads.seen.get("c")).as("sync=" + sync).isSameAs(runThread);
    }
  }

  @Test
  void anAbandonedAttemptHandsTheRunToAnotherThreadThatRetriesAndEngineRunGetsTheResult()
      throws Exception {
    var clock = new ManualClock();
    var events = new CopyOnWriteArrayList<WorkflowEvent>();
    var threads = new Threads();
    var attempts = new AtomicInteger();
    var nextRuns = new AtomicInteger();
    var wf =
        Workflow.builder("hand-off-retry")
            .step(
                "stuck",
                ctx -> {
                  threads.seen.put("stuck-" + attempts.incrementAndGet(), Thread.currentThread());
                  if (ctx.attempt() == 1) {
                    stuckSteps.spin();
                  }
                },
                StepOptions.defaults()
                    .withTimeout(Duration.ofMillis(100))
                    .withRetry(
                        Retries.exponential(2, Duration.ofMinutes(10), Duration.ofMinutes(20))))
            .step(
                "next",
                ctx -> {
                  nextRuns.incrementAndGet();
                  threads.seen.put("next", Thread.currentThread());
                })
            .build();
    var store = FileExecutionStore.open(tmp.resolve("store"));
    var engine =
        stuckSteps.closeFirst(
            WorkflowEngine.builder()
                .store(store)
                .clock(clock)
                .sleeper(clock)
                .listener(events::add)
                .listener(threads::listen)
                .build());
    long start = System.nanoTime();

    WorkflowResult result = engine.run(wf, Map.of());

    // engine.run returned while the first attempt still spins on the thread that started the run.
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(BOUND_MS);
    assertThat(stuckSteps.released()).isFalse();
    assertThat(result.status()).isEqualTo(RunState.COMPLETED);
    assertThat(result.step("stuck").orElseThrow().attempts()).isEqualTo(2);
    Thread stuck = threads.seen.get("stuck-1");
    assertThat(stuck).isSameAs(threads.seen.get("run-started"));
    assertThat(threads.seen.get("stuck-2")).isNotSameAs(stuck);
    assertThat(threads.seen.get("next")).isSameAs(threads.seen.get("stuck-2"));
    // The retry's wait (10 minutes, jittered by up to 25 %) went through the manual clock's
    // sleeper.
    assertThat(clock.totalSleptMillis())
        .isGreaterThanOrEqualTo(Duration.ofMinutes(10).toMillis() * 3 / 4);
    assertThat(store.find(result.runId()).orElseThrow().state()).isEqualTo(RunState.COMPLETED);
    assertThat(events)
        .filteredOn(e -> e instanceof WorkflowEvent.AttemptAbandoned)
        .singleElement()
        .satisfies(
            e -> {
              var a = (WorkflowEvent.AttemptAbandoned) e;
              assertThat(a.step()).isEqualTo("stuck");
              assertThat(a.attempt()).isEqualTo(1);
              assertThat(a.reason()).isEqualTo("timeout");
            });
    assertThat(engine.abandonedAttempts()).isEqualTo(1);

    stuckSteps.release();
    waitUntil(() -> engine.abandonedAttempts() == 0);

    // The late end is reported, and the stuck thread left the run alone: nothing ran again.
    assertThat(events)
        .filteredOn(e -> e instanceof WorkflowEvent.AbandonedAttemptEnded)
        .singleElement()
        .satisfies(
            e -> assertThat(((WorkflowEvent.AbandonedAttemptEnded) e).step()).isEqualTo("stuck"));
    assertThat(events.get(events.size() - 1))
        .isInstanceOf(WorkflowEvent.AbandonedAttemptEnded.class);
    assertThat(nextRuns).hasValue(1);
    assertThat(attempts).hasValue(2);
    assertThat(store.find(result.runId()).orElseThrow().state()).isEqualTo(RunState.COMPLETED);
  }

  @Test
  void aStartedRunWhoseStepIsAbandonedFailsAndCompensatesOnAnotherThread() throws Exception {
    var threads = new Threads();
    var stuckEntered = new CountDownLatch(1);
    var nextRuns = new AtomicInteger();
    var wf =
        Workflow.builder("hand-off-rollback")
            .step(
                Step.builder("first")
                    .run(threads.step("first"))
                    .compensate(threads.step("undo-first"))
                    .build())
            .step(
                Step.builder("stuck")
                    .run(
                        ctx -> {
                          threads.seen.put("stuck", Thread.currentThread());
                          stuckEntered.countDown();
                          stuckSteps.spin();
                        })
                    .compensate(threads.step("undo-stuck"))
                    .build(),
                StepOptions.defaults().withTimeout(Duration.ofMillis(100)))
            .step("next", ctx -> nextRuns.incrementAndGet())
            .build();
    var engine =
        stuckSteps.closeFirst(
            WorkflowEngine.builder()
                .store(FileExecutionStore.open(tmp.resolve("rollback")))
                .listener(threads::listen)
                .build());

    WorkflowRun run = engine.start(wf, Map.of(), RunOptions.defaults().withRollback(true));
    WorkflowResult result = run.await(Duration.ofMillis(BOUND_MS));

    assertThat(result.status()).isEqualTo(RunState.ROLLED_BACK);
    assertThat(result.error().type()).isEqualTo(ErrorKind.TIMEOUT);
    assertThat(result.error().details()).containsEntry("abandonedAttempt", true);
    Thread stuck = threads.seen.get("stuck");
    assertThat(stuck).isSameAs(threads.seen.get("first")).isSameAs(threads.seen.get("run-started"));
    // The abandoned step may have done its work: it is compensated, by the thread that went on.
    assertThat(threads.seen.get("undo-stuck")).isNotNull().isNotSameAs(stuck);
    assertThat(threads.seen.get("undo-first")).isNotNull().isNotSameAs(stuck);
    assertThat(result.step("stuck").orElseThrow().status()).isEqualTo(StepStatus.COMPENSATED);

    stuckSteps.release();
    waitUntil(() -> engine.abandonedAttempts() == 0);
    assertThat(nextRuns).hasValue(0);
    assertThat(engine.store().find(run.runId()).orElseThrow().state())
        .isEqualTo(RunState.ROLLED_BACK);
  }

  @Test
  void aCancelledRunEndsOnAnotherThreadWithinTheGraceAndTheStuckThreadDoesNotGoOn()
      throws Exception {
    var entered = new CountDownLatch(1);
    var nextRuns = new AtomicInteger();
    var events = new CopyOnWriteArrayList<WorkflowEvent>();
    var wf =
        Workflow.builder("hand-off-cancel")
            .step(
                "stuck",
                ctx -> {
                  entered.countDown();
                  stuckSteps.spin();
                })
            .step("next", ctx -> nextRuns.incrementAndGet())
            .build();
    var engine =
        stuckSteps.closeFirst(
            WorkflowEngine.builder()
                .cancelGrace(Duration.ofMillis(200))
                .listener(events::add)
                .build());
    WorkflowRun run = engine.start(wf, Map.of());
    assertThat(entered.await(BOUND_MS, TimeUnit.MILLISECONDS)).isTrue();

    assertThat(run.cancel()).isTrue();
    WorkflowResult result = run.await(Duration.ofMillis(BOUND_MS));

    assertThat(result.status()).isEqualTo(RunState.CANCELLED);
    assertThat(result.step("stuck").orElseThrow().status()).isEqualTo(StepStatus.CANCELLED);
    assertThat(events)
        .filteredOn(e -> e instanceof WorkflowEvent.AttemptAbandoned)
        .singleElement()
        .satisfies(
            e -> assertThat(((WorkflowEvent.AttemptAbandoned) e).reason()).isEqualTo("cancel"));
    stuckSteps.release();
    waitUntil(() -> engine.abandonedAttempts() == 0);
    assertThat(events).anyMatch(e -> e instanceof WorkflowEvent.AbandonedAttemptEnded);
    assertThat(nextRuns).hasValue(0);
    assertThat(run.status().state()).isEqualTo(RunState.CANCELLED);
  }

  @Test
  void interruptingTheCallerOfEngineRunCancelsTheRun() throws Exception {
    var entered = new CountDownLatch(1);
    var wf =
        Workflow.builder("caller-interrupted")
            .step(
                "waits",
                ctx -> {
                  entered.countDown();
                  Thread.sleep(60_000);
                })
            .build();
    var engine = stuckSteps.closeFirst(WorkflowEngine.builder().build());
    var outcome = new AtomicReference<WorkflowResult>();
    var caller = new Thread(() -> outcome.set(engine.run(wf, Map.of())), "caller");
    caller.start();
    assertThat(entered.await(BOUND_MS, TimeUnit.MILLISECONDS)).isTrue();

    caller.interrupt();
    caller.join(BOUND_MS);

    assertThat(caller.isAlive()).isFalse();
    assertThat(outcome.get().status()).isEqualTo(RunState.CANCELLED);
  }
}
