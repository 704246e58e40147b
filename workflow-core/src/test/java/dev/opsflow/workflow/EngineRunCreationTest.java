package dev.opsflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.verify;

import dev.opsflow.workflow.spi.ExecutionStore;
import dev.opsflow.workflow.spi.RunRecord;
import dev.opsflow.workflow.spi.StoreException;
import dev.opsflow.workflow.store.InMemoryExecutionStore;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code engine.run} without an idempotency key or a run id of the caller's creates its run with
 * the run's start, in one store call; every other way of starting a run creates it before the call
 * returns. A creation that fails reaches {@code engine.run}'s caller as the store's error.
 */
class EngineRunCreationTest {
  private final Workflow wf =
      Workflow.builder("two").step(Step.of("a", ctx -> {})).step(Step.of("b", ctx -> {})).build();

  @Test
  void engineRunCreatesItsRunWithItsStartInOneCall() {
    ExecutionStore store = spy(new InMemoryExecutionStore());
    try (var engine = WorkflowEngine.builder().store(store).build()) {
      var result = engine.run(wf, Map.of(), RunOptions.defaults());

      assertThat(result.success()).isTrue();
      verify(store).createUnsynced(any(RunRecord.class), anyList());
      assertThat(store.events(result.runId()).get(0))
          .isInstanceOf(dev.opsflow.workflow.event.WorkflowEvent.RunStarted.class);
      assertThat(store.find(result.runId()).orElseThrow().state()).isEqualTo(RunState.COMPLETED);
    }
  }

  @Test
  void engineStartAndAnIdOfTheCallersCreateTheRunFirst() {
    ExecutionStore store = spy(new InMemoryExecutionStore());
    try (var engine = WorkflowEngine.builder().store(store).build()) {
      var run = engine.start(wf, Map.of(), RunOptions.defaults());
      assertThat(run.await(Duration.ofSeconds(30)).success()).isTrue();
      assertThat(engine.run(wf, Map.of(), RunOptions.builder().runId("mine").build()).success())
          .isTrue();

      verify(store, never()).createUnsynced(any(RunRecord.class), anyList());
    }
  }

  @Test
  void aCreationThatFailsReachesTheCallerOfRun() {
    ExecutionStore store = spy(new InMemoryExecutionStore());
    doThrow(new StoreException("database down", null))
        .when(store)
        .createUnsynced(any(RunRecord.class), anyList());
    try (var engine = WorkflowEngine.builder().store(store).build()) {
      assertThatThrownBy(() -> engine.run(wf, Map.of(), RunOptions.defaults()))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("database down");
      // Nothing stored, and the engine goes on.
      assertThat(store.query(dev.opsflow.workflow.spi.RunQuery.all())).isEmpty();
      var run = engine.start(wf, Map.of(), RunOptions.defaults());
      assertThat(run.await(Duration.ofSeconds(30)).success()).isTrue();
    }
  }
}
