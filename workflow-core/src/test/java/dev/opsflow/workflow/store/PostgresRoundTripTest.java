package dev.opsflow.workflow.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.event.WorkflowEvent;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a lone run sends to PostgreSQL: {@code engine.run} creates its run with the run's start in
 * one statement (4 store operations for 3 steps: that one and the 3 step commits), and its journal
 * is whole and in order; {@code engine.start} still stores its run before it returns, so another
 * engine's store sees it at once.
 */
class PostgresRoundTripTest {
  private final TestPool pool = TestDatabases.postgres();
  private final AtomicInteger borrowed = new AtomicInteger();
  private final DataSource counting =
      (DataSource)
          Proxy.newProxyInstance(
              DataSource.class.getClassLoader(),
              new Class<?>[] {DataSource.class},
              (proxy, method, args) -> {
                if (method.getName().equals("getConnection")) {
                  borrowed.incrementAndGet();
                }
                try {
                  return method.invoke(pool, args);
                } catch (InvocationTargetException e) {
                  throw e.getCause();
                }
              });

  @AfterEach
  void close() {
    pool.close();
  }

  private static Workflow three(Step first) {
    return Workflow.builder("three")
        .step(first)
        .step(Step.of("s2", ctx -> {}))
        .step(Step.of("s3", ctx -> {}))
        .build();
  }

  @Test
  void engineRunCreatesItsRunWithItsStartInOneStatement() {
    var store = JdbcExecutionStore.create(counting);
    // A lease of an hour: no heartbeat (lease renewal, cancel poll) during the runs.
    try (var engine = WorkflowEngine.builder().store(store).lease(Duration.ofHours(1)).build()) {
      Workflow wf = three(Step.of("s1", ctx -> {}));
      // The first run takes the schema's and the owners' session connections too.
      assertThat(engine.run(wf, Map.of(), RunOptions.defaults()).success()).isTrue();

      borrowed.set(0);
      WorkflowResult result = engine.run(wf, Map.of(), RunOptions.defaults());

      assertThat(result.success()).isTrue();
      // Before: 5 (the creation, the start, 3 step commits).
      assertThat(borrowed.get()).isEqualTo(4);
      var stored = store.find(result.runId()).orElseThrow();
      assertThat(stored.state()).isEqualTo(RunState.COMPLETED);
      assertThat(stored.version()).isEqualTo(4);
      List<WorkflowEvent> events = store.events(result.runId());
      assertThat(events)
          .extracting(WorkflowEvent::sequence)
          .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
      assertThat(events.get(0)).isInstanceOf(WorkflowEvent.RunStarted.class);
      assertThat(events.get(7)).isInstanceOf(WorkflowEvent.RunFinished.class);
    }
  }

  @Test
  void engineStartStoresItsRunBeforeItReturns() throws Exception {
    var store = JdbcExecutionStore.create(pool);
    var other = JdbcExecutionStore.create(pool);
    var release = new CountDownLatch(1);
    try (var engine = WorkflowEngine.builder().store(store).build()) {
      var run =
          engine.start(
              three(Step.of("s1", ctx -> release.await(30, TimeUnit.SECONDS))),
              Map.of(),
              RunOptions.defaults());

      // Another engine's view, while the first step still runs.
      assertThat(other.find(run.runId())).isPresent();
      release.countDown();
      assertThat(run.await(Duration.ofSeconds(30)).success()).isTrue();
      assertThat(other.find(run.runId()).orElseThrow().state()).isEqualTo(RunState.COMPLETED);
    }
  }
}
