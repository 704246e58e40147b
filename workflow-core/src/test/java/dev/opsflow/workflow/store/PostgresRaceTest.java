package dev.opsflow.workflow.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.StepOutcome;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.WorkflowRun;
import dev.opsflow.workflow.peers.PostgresPeer;
import dev.opsflow.workflow.spi.ExecutionStore;
import dev.opsflow.workflow.spi.RunQuery;
import dev.opsflow.workflow.spi.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two engines, each with its own connection pool (as two application instances would), on one
 * PostgreSQL database: they never run one run at the same time, every run completes, and every
 * idempotency key executes once. Every step checks that no other execution of its run is in flight,
 * and counts itself.
 */
class PostgresRaceTest {
  private static final List<String> STEPS = List.of("a", "b", "c");
  private static final int RUNS = 200;

  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final AtomicInteger overlaps = new AtomicInteger();
  private final Map<String, Integer> executions = new ConcurrentHashMap<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private ExecutionStore store1;
  private ExecutionStore store2;
  private WorkflowEngine engine1;
  private WorkflowEngine engine2;
  private Workflow workflow;

  @BeforeEach
  void twoEnginesOnOneDatabase() {
    PostgresPeer server = TestDatabases.postgresServer();
    TestPool pool1 = TestDatabases.postgres();
    TestPool pool2 = new TestPool(pool1.url(), server.user(), server.password());
    store1 = JdbcExecutionStore.create(pool1);
    store2 = JdbcExecutionStore.create(pool2);
    var b = Workflow.builder("race");
    for (String name : STEPS) {
      b.step(
          Step.of(
              name,
              ctx -> {
                AtomicInteger running =
                    inFlight.computeIfAbsent(ctx.runId(), id -> new AtomicInteger());
                if (running.incrementAndGet() > 1) {
                  overlaps.incrementAndGet();
                }
                try {
                  executions.merge(ctx.runId() + "/" + name, 1, Integer::sum);
                } finally {
                  running.decrementAndGet();
                }
              }));
    }
    workflow = b.build();
    engine1 = WorkflowEngine.builder().store(store1).ownerId("engine-1").build();
    engine2 = WorkflowEngine.builder().store(store2).ownerId("engine-2").build();
    closeables.addAll(List.of(engine1, engine2, pool1, pool2));
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  @Test
  void twoEnginesRecoveringInALoopShareTheRunsAndRunEachExactlyOnce() throws Exception {
    Instant past = Instant.now().minusSeconds(600);
    for (int i = 0; i < RUNS; i++) {
      store1.create(crashedRun("run-" + i, "key-" + i, past.plusMillis(i)));
    }

    List<List<WorkflowRun>> taken =
        both(
            engine -> {
              var mine = new ArrayList<WorkflowRun>();
              long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
              while (System.nanoTime() < deadline) {
                List<WorkflowRun> got = engine.recover(Map.of("race", workflow));
                mine.addAll(got);
                if (got.isEmpty() && engine.store().findExpired(Instant.now(), 1).isEmpty()) {
                  break;
                }
              }
              return mine;
            });
    for (List<WorkflowRun> runs : taken) {
      for (WorkflowRun run : runs) {
        assertThat(run.await(Duration.ofSeconds(60)).status()).isEqualTo(RunState.COMPLETED);
      }
    }

    assertThat(overlaps).hasValue(0);
    assertThat(taken.get(0).size() + taken.get(1).size()).isEqualTo(RUNS);
    assertThat(executions).hasSize(RUNS * STEPS.size());
    assertThat(executions.values()).containsOnly(1);
    assertThat(store2.query(RunQuery.all().withState(RunState.COMPLETED).withLimit(1000)))
        .hasSize(RUNS);
  }

  @Test
  void oneKeyStartedOnBothEnginesAtOnceExecutesOnce() throws Exception {
    int keys = 40;
    List<List<WorkflowRun>> started =
        both(
            engine -> {
              var mine = new ArrayList<WorkflowRun>();
              for (int i = 0; i < keys; i++) {
                mine.add(
                    engine.start(
                        workflow,
                        Map.of(),
                        RunOptions.defaults().withIdempotencyKey("deploy-" + i)));
              }
              return mine;
            });

    for (int i = 0; i < keys; i++) {
      WorkflowResult one = started.get(0).get(i).await(Duration.ofSeconds(60));
      WorkflowResult two = started.get(1).get(i).await(Duration.ofSeconds(60));
      assertThat(one.status()).isEqualTo(RunState.COMPLETED);
      assertThat(two.runId()).isEqualTo(one.runId());
    }
    assertThat(overlaps).hasValue(0);
    assertThat(executions).hasSize(keys * STEPS.size());
    assertThat(executions.values()).containsOnly(1);
  }

  /** Runs {@code work} on both engines at once; returns their results (engine 1, engine 2). */
  private <T> List<T> both(EngineWork<T> work) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      var go = new CountDownLatch(1);
      var futures = new ArrayList<Future<T>>();
      for (WorkflowEngine engine : List.of(engine1, engine2)) {
        Callable<T> task =
            () -> {
              go.await();
              return work.run(engine);
            };
        futures.add(threads.submit(task));
      }
      go.countDown();
      var out = new ArrayList<T>();
      for (Future<T> f : futures) {
        out.add(f.get(90, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      threads.shutdownNow();
    }
  }

  /** What each engine does in a race. */
  interface EngineWork<T> {
    T run(WorkflowEngine engine) throws Exception;
  }

  /** A run left RUNNING by an engine that died (its lease long expired). */
  private static RunRecord crashedRun(String id, String key, Instant created) {
    return new RunRecord(
        id,
        "race",
        1,
        STEPS,
        key,
        RunState.RUNNING,
        false,
        false,
        null,
        Map.of(),
        Map.of(),
        Map.of(),
        STEPS.stream().map(StepOutcome::pending).toList(),
        null,
        "crashed-engine",
        created.plusSeconds(30),
        created,
        created,
        0);
  }
}
