package dev.opsflow.workflow.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.StepStatus;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.spi.ExecutionStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cancel that asks for the rollback ({@code opsflow cancel --rollback}): the run's completed
 * steps are compensated although it was started without rollback, and it ends ROLLED_BACK; from
 * another process through the store, from this one through the engine, and for a run no engine
 * executed when it was asked (its next resume rolls it back at once); on every store.
 */
class CancelAndRollBackTest {
  @TempDir Path dir;

  private final List<String> undone = new CopyOnWriteArrayList<>();
  private final CountDownLatch inside = new CountDownLatch(1);
  private final AtomicBoolean blocking = new AtomicBoolean(true);

  /** The step ignores interrupts: its engine can only give it up, as a process that dies. */
  private final AtomicBoolean deaf = new AtomicBoolean(false);

  private Workflow workflow() {
    return Workflow.builder("undo-me")
        .step(Step.builder("create-a").run(ctx -> {}).compensate(ctx -> undone.add("a")).build())
        .step(Step.builder("create-b").run(ctx -> {}).compensate(ctx -> undone.add("b")).build())
        .step(
            "wait",
            ctx -> {
              inside.countDown();
              while (blocking.get()) {
                try {
                  Thread.sleep(50);
                } catch (InterruptedException e) {
                  if (!deaf.get()) {
                    throw e;
                  }
                }
              }
            })
        .build();
  }

  private static WorkflowEngine engine(ExecutionStore store) {
    // A short lease: the heartbeat that polls the store's requests beats every sixth of it.
    return WorkflowEngine.builder().store(store).lease(Duration.ofMillis(600)).build();
  }

  private void assertRolledBack(WorkflowResult result) {
    assertThat(result.status()).isEqualTo(RunState.ROLLED_BACK);
    assertThat(undone).containsExactly("b", "a");
    assertThat(result.step("create-a").orElseThrow().status()).isEqualTo(StepStatus.COMPENSATED);
    assertThat(result.message()).contains("was cancelled").contains("rolled back 2");
  }

  @Test
  void aRequestThroughTheFileStoreRollsBackARunStartedWithoutRollback() throws Exception {
    var store = FileExecutionStore.open(dir);
    try (var engine = engine(store)) {
      var run = engine.start(workflow(), Map.of());
      assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();

      // As another process does: through the store only.
      assertThat(store.requestCancel(run.runId(), Instant.now(), true)).isTrue();
      assertThat(store.rollbackRequested(run.runId())).isTrue();

      assertRolledBack(run.await(Duration.ofSeconds(30)));
    }
  }

  @Test
  void aPlainRequestStillKeepsTheCompletedSteps() throws Exception {
    var store = FileExecutionStore.open(dir);
    try (var engine = engine(store)) {
      var run = engine.start(workflow(), Map.of());
      assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(store.requestCancel(run.runId(), Instant.now(), false)).isTrue();
      assertThat(store.rollbackRequested(run.runId())).isFalse();

      WorkflowResult result = run.await(Duration.ofSeconds(30));
      assertThat(result.status()).isEqualTo(RunState.CANCELLED);
      assertThat(undone).isEmpty();
    }
  }

  @Test
  void theEngineRollsBackARunItExecutes() throws Exception {
    try (var engine = engine(new InMemoryExecutionStore())) {
      var run = engine.start(workflow(), Map.of());
      assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();

      assertThat(engine.cancelAndRollBack(run.runId())).isTrue();

      assertRolledBack(run.await(Duration.ofSeconds(30)));
      assertThat(engine.cancelAndRollBack(run.runId())).as("ended").isFalse();
    }
  }

  @Test
  void aRunNoEngineExecutesIsRolledBackWhenItIsNextResumed() throws Exception {
    var store = FileExecutionStore.open(dir);
    String runId;
    deaf.set(true);
    try (var first = engine(store)) {
      var run = first.start(workflow(), Map.of());
      assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();
      runId = run.runId();
      // The engine goes away without ending the run (as a killed process): its lease ends.
      first.close(Duration.ZERO);
    }
    assertThat(store.find(runId).orElseThrow().state().isFinished()).isFalse();
    blocking.set(false); // the abandoned attempt ends; its writes are refused
    assertThat(store.requestCancel(runId, Instant.now(), true)).isTrue();

    try (var second = engine(store)) {
      assertRolledBack(second.resume(runId, workflow()).await(Duration.ofSeconds(30)));
    }
  }

  @Test
  void aRequestThroughAnH2StoreRollsBack() throws Exception {
    rollsBackThrough(JdbcExecutionStore.create(TestDatabases.h2()));
  }

  @Test
  void aRequestThroughAPostgresStoreRollsBack() throws Exception {
    try (var pool = TestDatabases.postgres()) {
      rollsBackThrough(JdbcExecutionStore.create(pool));
    }
  }

  private void rollsBackThrough(ExecutionStore store) throws Exception {
    try (var engine = engine(store)) {
      var run = engine.start(workflow(), Map.of());
      assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(store.requestCancel(run.runId(), Instant.now(), true)).isTrue();
      assertThat(store.rollbackRequested(run.runId())).isTrue();

      assertRolledBack(run.await(Duration.ofSeconds(30)));
    }
  }

  @Test
  void aJdbcStoreMadeBeforeRollbackRequestsGetsTheirColumn() throws Exception {
    var db = TestDatabases.h2();
    try (var c = db.getConnection();
        var s = c.createStatement()) {
      // The tables as they were before: cancel requests without with_rollback.
      for (String sql : JdbcDialect.H2.statements()) {
        if (!sql.startsWith("ALTER TABLE opsflow_cancel_requests")) {
          s.execute(sql.replace(",\n  with_rollback BOOLEAN NOT NULL DEFAULT FALSE", ""));
        }
      }
    }
    rollsBackThrough(JdbcExecutionStore.create(db));
  }

  @Test
  void theMemoryStoreKeepsRollbackRequests() throws Exception {
    var memory = new InMemoryExecutionStore();
    assertThat(memory.rollbackRequested("r1")).isFalse();
    rollsBackThrough(memory);
  }
}
