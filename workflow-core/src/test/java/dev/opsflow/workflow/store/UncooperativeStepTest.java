package dev.opsflow.workflow.store;

import static dev.opsflow.workflow.StuckSteps.BOUND_MS;
import static dev.opsflow.workflow.StuckSteps.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Key;
import dev.opsflow.workflow.Retries;
import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.StepAction;
import dev.opsflow.workflow.StepOptions;
import dev.opsflow.workflow.StepStatus;
import dev.opsflow.workflow.StuckSteps;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.WorkflowRun;
import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.spi.ExecutionStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Timeouts, cancel and close keep their promise whatever the step does: a step that busy-spins, one
 * that swallows interrupts and a cooperative one each end at the deadline or within the grace,
 * never COMPLETED, on the in-memory, file and PostgreSQL stores. The stuck steps here never end by
 * themselves: the test releases them at its end, so each bound below is met only by the engine.
 * Those bounds are real time (a real thread is abandoned), generous for a loaded machine.
 */
class UncooperativeStepTest {
  private static final Key<String> MARK = Key.of("mark", String.class);

  @TempDir Path tmp;

  @RegisterExtension final StuckSteps stuckSteps = new StuckSteps();
  private final AtomicInteger stores = new AtomicInteger();

  /** What a stuck step does until the test releases it. */
  enum Kind {
    SPINS,
    SWALLOWS_INTERRUPTS,
    COOPERATES
  }

  enum Store {
    MEMORY,
    FILE,
    POSTGRES
  }

  private StepAction stuck(Kind kind, CountDownLatch entered) {
    return ctx -> {
      entered.countDown();
      switch (kind) {
        case SPINS -> stuckSteps.spin();
        case SWALLOWS_INTERRUPTS -> stuckSteps.swallowInterrupts();
        case COOPERATES -> Thread.sleep(60_000);
      }
    };
  }

  private ExecutionStore store(Store kind) {
    return switch (kind) {
      case MEMORY -> new InMemoryExecutionStore();
      case FILE -> FileExecutionStore.open(tmp.resolve("store-" + stores.incrementAndGet()));
      case POSTGRES -> {
        TestPool pool = TestDatabases.postgres();
        stuckSteps.closeLast(pool);
        yield JdbcExecutionStore.create(pool);
      }
    };
  }

  private WorkflowEngine engine(ExecutionStore store) {
    var engine = WorkflowEngine.builder().store(store).cancelGrace(Duration.ofMillis(200)).build();
    stuckSteps.closeFirst(engine);
    return engine;
  }

  private static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Kind.class)
  void aStepPastItsTimeoutEndsAsTimeoutAndTheRunDoesNotGoOnOnEveryStore(Kind kind) {
    for (Store storeKind : Store.values()) {
      var entered = new CountDownLatch(1);
      var second = new AtomicInteger();
      var wf =
          Workflow.builder("stuck-step")
              .step(
                  "stuck",
                  stuck(kind, entered),
                  StepOptions.defaults().withTimeout(Duration.ofMillis(100)))
              .step("second", ctx -> second.incrementAndGet())
              .build();
      var engine = engine(store(storeKind));
      long start = System.nanoTime();

      WorkflowResult result = engine.run(wf, Map.of());

      assertThat(millisSince(start)).as(storeKind.name()).isLessThan(BOUND_MS);
      assertThat(result.status()).as(storeKind.name()).isEqualTo(RunState.FAILED);
      assertThat(result.step("stuck").orElseThrow().status()).isEqualTo(StepStatus.TIMEOUT);
      assertThat(result.error().type()).isEqualTo(ErrorKind.TIMEOUT);
      assertThat(second).hasValue(0);
      boolean abandoned = kind != Kind.COOPERATES;
      assertThat(result.error().details().containsKey("abandonedAttempt")).isEqualTo(abandoned);
      assertThat(result.error().message()).contains("stuck").contains("PT0.1S");
      assertThat(engine.store().find(result.runId()).orElseThrow().state())
          .isEqualTo(RunState.FAILED);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Kind.class)
  void aRunPastItsTimeoutFailsWithTimeoutOrRollsBack(Kind kind) {
    var entered = new CountDownLatch(1);
    var undone = new AtomicInteger();
    var wf =
        Workflow.builder("stuck-run")
            .step(
                Step.builder("first")
                    .run(ctx -> {})
                    .compensate(ctx -> undone.incrementAndGet())
                    .build())
            .step(
                Step.builder("stuck")
                    .run(stuck(kind, entered))
                    .compensate(ctx -> undone.incrementAndGet())
                    .build())
            .build();
    var engine = engine(new InMemoryExecutionStore());
    long start = System.nanoTime();

    WorkflowResult failed =
        engine.run(wf, Map.of(), RunOptions.defaults().withTimeout(Duration.ofMillis(100)));
    WorkflowResult rolledBack =
        engine.run(
            wf,
            Map.of(),
            RunOptions.defaults().withTimeout(Duration.ofMillis(100)).withRollback(true));

    assertThat(millisSince(start)).isLessThan(2 * BOUND_MS);
    assertThat(failed.status()).isEqualTo(RunState.PARTIAL);
    assertThat(failed.error().type()).isEqualTo(ErrorKind.TIMEOUT);
    assertThat(failed.step("stuck").orElseThrow().status()).isEqualTo(StepStatus.TIMEOUT);
    assertThat(rolledBack.status()).isEqualTo(RunState.ROLLED_BACK);
    assertThat(rolledBack.error().type()).isEqualTo(ErrorKind.TIMEOUT);
    // An abandoned attempt may have done its work: it is compensated like a completed step.
    int expectedUndos = kind == Kind.COOPERATES ? 1 : 2;
    assertThat(undone).hasValue(expectedUndos);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Kind.class)
  void aCancelEndsTheRunCancelledWithinTheGraceOnEveryStore(Kind kind) throws Exception {
    for (Store storeKind : Store.values()) {
      var entered = new CountDownLatch(1);
      var wf = Workflow.builder("stuck-cancel").step("stuck", stuck(kind, entered)).build();
      var engine = engine(store(storeKind));
      WorkflowRun run = engine.start(wf, Map.of(), RunOptions.defaults());
      assertThat(entered.await(BOUND_MS, TimeUnit.MILLISECONDS)).isTrue();
      long start = System.nanoTime();

      assertThat(run.cancel()).isTrue();
      WorkflowResult result = run.await(Duration.ofMillis(BOUND_MS));

      assertThat(millisSince(start)).as(storeKind.name()).isLessThan(BOUND_MS);
      assertThat(result.status()).as(storeKind.name()).isEqualTo(RunState.CANCELLED);
      assertThat(result.step("stuck").orElseThrow().status()).isEqualTo(StepStatus.CANCELLED);
      assertThat(engine.store().find(run.runId()).orElseThrow().state())
          .isEqualTo(RunState.CANCELLED);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Kind.class)
  void aRetryAfterAnAbandonedAttemptRunsOnAnotherThreadAndSucceeds(Kind kind) {
    var entered = new CountDownLatch(1);
    var attempts = new AtomicInteger();
    StepAction firstStuck = stuck(kind, entered);
    var wf =
        Workflow.builder("retry-after-stuck")
            .step(
                "call",
                ctx -> {
                  if (attempts.incrementAndGet() == 1) {
                    firstStuck.run(ctx);
                  }
                  ctx.output("attempt", ctx.attempt());
                },
                StepOptions.defaults()
                    .withTimeout(Duration.ofMillis(100))
                    .withRetry(
                        Retries.exponential(3, Duration.ofMillis(10), Duration.ofMillis(20))))
            .build();
    var engine = engine(new InMemoryExecutionStore());

    WorkflowResult result = engine.run(wf, Map.of());

    assertThat(result.status()).isEqualTo(RunState.COMPLETED);
    assertThat(result.step("call").orElseThrow().attempts()).isEqualTo(2);
    assertThat(result.outputs()).containsEntry("attempt", 2);
  }

  @Test
  void anAbandonedAttemptsLateWritesAreRefusedAndItIsReported() throws Exception {
    var events = new CopyOnWriteArrayList<WorkflowEvent>();
    var lateWrite = new AtomicReference<Throwable>();
    var ended = new CountDownLatch(1);
    var wf =
        Workflow.builder("late-writer")
            .step(
                "stuck",
                ctx -> {
                  stuckSteps.spin();
                  try {
                    ctx.put(MARK, "late");
                    ctx.output("late", true);
                  } catch (Throwable t) {
                    lateWrite.set(t);
                  }
                  ended.countDown();
                },
                StepOptions.defaults().withTimeout(Duration.ofMillis(100)))
            .build();
    var store = FileExecutionStore.open(tmp.resolve("late"));
    var engine = WorkflowEngine.builder().store(store).listener(events::add).build();
    stuckSteps.closeFirst(engine);

    WorkflowResult result = engine.run(wf, Map.of());
    assertThat(engine.abandonedAttempts()).isEqualTo(1);
    assertThat(engine.status(result.runId()).orElseThrow().state()).isEqualTo(RunState.FAILED);
    stuckSteps.release();
    assertThat(ended.await(BOUND_MS, TimeUnit.MILLISECONDS)).isTrue();

    assertThat(lateWrite.get())
        .isInstanceOf(dev.opsflow.workflow.CancelledException.class)
        .hasMessageContaining("abandoned");
    assertThat(store.find(result.runId()).orElseThrow().outputs()).doesNotContainKey("late");
    assertThat(store.find(result.runId()).orElseThrow().context()).doesNotContainKey("mark");
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
    waitUntil(() -> engine.abandonedAttempts() == 0);
    assertThat(events).anyMatch(e -> e instanceof WorkflowEvent.AbandonedAttemptEnded);
  }

  @Test
  void theStatusCountsAbandonedAttemptsOfARunStillGoing() throws Exception {
    var entered = new CountDownLatch(1);
    var waiting = new CountDownLatch(1);
    var finish = new CountDownLatch(1);
    var attempts = new AtomicInteger();
    StepAction firstStuck = stuck(Kind.SPINS, entered);
    var wf =
        Workflow.builder("goes-on")
            .step(
                "flaky",
                ctx -> {
                  if (attempts.incrementAndGet() == 1) {
                    firstStuck.run(ctx);
                  }
                },
                StepOptions.defaults()
                    .withTimeout(Duration.ofMillis(100))
                    .withRetry(Retries.exponential(2, Duration.ofMillis(1), Duration.ofMillis(2))))
            .step(
                "next",
                ctx -> {
                  waiting.countDown();
                  finish.await();
                })
            .build();
    var engine = engine(new InMemoryExecutionStore());
    WorkflowRun run = engine.start(wf, Map.of(), RunOptions.defaults());
    assertThat(waiting.await(BOUND_MS, TimeUnit.MILLISECONDS)).isTrue();

    assertThat(run.status().abandonedAttempts()).isEqualTo(1);
    assertThat(run.status().toJson()).contains("\"abandonedAttempts\" : 1");
    assertThat(engine.abandonedAttempts()).isEqualTo(1);

    finish.countDown();
    assertThat(run.await(Duration.ofMillis(BOUND_MS)).status()).isEqualTo(RunState.COMPLETED);
    stuckSteps.release();
    waitUntil(() -> engine.abandonedAttempts() == 0);
    assertThat(run.status().abandonedAttempts()).isZero();
  }

  @Test
  void aBoundOnAbandonedAttemptsFailsANewAttemptClearly() throws Exception {
    var entered = new CountDownLatch(1);
    var wf =
        Workflow.builder("leaky")
            .step(
                "stuck",
                stuck(Kind.SPINS, entered),
                StepOptions.defaults().withTimeout(Duration.ofMillis(50)))
            .build();
    var engine = WorkflowEngine.builder().maxAbandonedAttempts(1).build();
    stuckSteps.closeFirst(engine);

    WorkflowResult first = engine.run(wf, Map.of());
    WorkflowResult second = engine.run(wf, Map.of());

    assertThat(first.error().type()).isEqualTo(ErrorKind.TIMEOUT);
    assertThat(second.status()).isEqualTo(RunState.FAILED);
    assertThat(second.error().type()).isEqualTo(ErrorKind.INTERNAL);
    assertThat(second.error().message())
        .contains("1 abandoned attempts still run")
        .contains("maxAbandonedAttempts");
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Kind.class)
  void closeIsBoundedAndLeavesStuckRunsCancelledInMemory(Kind kind) throws Exception {
    var entered = new CountDownLatch(4);
    var wf = Workflow.builder("stuck-close").step("stuck", stuck(kind, entered)).build();
    var engine = WorkflowEngine.builder().cancelGrace(Duration.ofSeconds(60)).build();
    var runs = new ArrayList<WorkflowRun>();
    for (int i = 0; i < 4; i++) {
      runs.add(engine.start(wf, Map.of()));
    }
    assertThat(entered.await(BOUND_MS, TimeUnit.MILLISECONDS)).isTrue();
    long start = System.nanoTime();

    engine.close(Duration.ofMillis(300));

    assertThat(millisSince(start)).isLessThan(BOUND_MS);
    for (WorkflowRun run : runs) {
      WorkflowResult result = run.await(Duration.ofMillis(BOUND_MS));
      assertThat(result.status()).isEqualTo(RunState.CANCELLED);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = Store.class,
      names = {"FILE", "POSTGRES"})
  void closeLeavesStuckRunsOnADurableStoreForAnotherEngineToRecoverAtOnce(Store storeKind)
      throws Exception {
    var entered = new CountDownLatch(2);
    var resumedSteps = new AtomicInteger();
    ExecutionStore store = store(storeKind);
    var stuckWf =
        Workflow.builder("left-at-close")
            .step("first", ctx -> {})
            .step("stuck", stuck(Kind.SWALLOWS_INTERRUPTS, entered))
            .build();
    var healthy =
        Workflow.builder("left-at-close")
            .step("first", ctx -> resumedSteps.incrementAndGet())
            .step("stuck", ctx -> resumedSteps.incrementAndGet())
            .build();
    var dying = WorkflowEngine.builder().store(store).cancelGrace(Duration.ofSeconds(60)).build();
    var runs = List.of(dying.start(stuckWf, Map.of()), dying.start(stuckWf, Map.of()));
    assertThat(entered.await(BOUND_MS, TimeUnit.MILLISECONDS)).isTrue();
    long start = System.nanoTime();

    dying.close(Duration.ofMillis(300));

    assertThat(millisSince(start)).isLessThan(BOUND_MS);
    for (WorkflowRun run : runs) {
      assertThat(store.find(run.runId()).orElseThrow().state()).isEqualTo(RunState.RUNNING);
    }
    var next = engine(store);
    var recovered = next.recover(Map.of("left-at-close", healthy));
    assertThat(recovered).hasSize(2);
    for (WorkflowRun run : recovered) {
      assertThat(run.await(Duration.ofMillis(BOUND_MS)).status()).isEqualTo(RunState.COMPLETED);
    }
    // 'first' completed before the close and is not run again; 'stuck' runs again, once each.
    assertThat(resumedSteps).hasValue(2);
  }
}
