package dev.opsflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.spi.ExecutionStore;
import dev.opsflow.workflow.spi.ForwardingExecutionStore;
import dev.opsflow.workflow.spi.RunRecord;
import dev.opsflow.workflow.store.InMemoryExecutionStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A durable store gets a commit after every step (the last one's with the run's end), the run's
 * start unsynced (made durable by the first step's commit); the in-memory store only the start and
 * the end.
 */
class CommitPolicyTest {

  /** Counts the commits it passes to an in-memory store, claiming to be durable or not. */
  static final class CountingStore extends ForwardingExecutionStore {
    final AtomicInteger commits = new AtomicInteger();
    final AtomicInteger unsynced = new AtomicInteger();
    final boolean durable;

    /** Called with each record once it is stored. */
    volatile java.util.function.Consumer<RunRecord> afterCommit = r -> {};

    CountingStore(boolean durable) {
      super(new InMemoryExecutionStore());
      this.durable = durable;
    }

    @Override
    public boolean durable() {
      return durable;
    }

    @Override
    public RunRecord commit(RunRecord run, List<WorkflowEvent> events) {
      commits.incrementAndGet();
      RunRecord stored = super.commit(run, events);
      afterCommit.accept(stored);
      return stored;
    }

    @Override
    public RunRecord commitUnsynced(RunRecord run, List<WorkflowEvent> events) {
      unsynced.incrementAndGet();
      return commit(run, events);
    }

    /**
     * The creation, then the start as a commit of its own, as {@link ExecutionStore}'s default
     * makes them: so the start is counted (and seen by {@link #afterCommit}) whichever way the
     * engine creates a run.
     */
    @Override
    public Created createUnsynced(RunRecord run, List<WorkflowEvent> events) {
      Created created = createUnsynced(run);
      if (!created.created() || events.isEmpty()) {
        return created;
      }
      return new Created(commitUnsynced(created.run(), events), true);
    }
  }

  private static CountingStore runThreeSteps(boolean durable) {
    var store = new CountingStore(durable);
    var wf =
        Workflow.builder("three")
            .step("a", ctx -> {})
            .step("b", ctx -> {})
            .step("c", ctx -> {})
            .build();
    try (var engine = WorkflowEngine.builder().store(store).build()) {
      WorkflowResult result = engine.run(wf, Map.of());
      assertThat(result.success()).isTrue();
      assertThat(store.events(result.runId())).hasSize(8);
    }
    return store;
  }

  @Test
  void aDurableStoreGetsACommitAfterEveryStepTheLastOneWithTheRunsEnd() {
    CountingStore store = runThreeSteps(true);
    // The start (unsynced), after a and after b, then c with the end: 3 synced for 3 steps.
    assertThat(store.commits.get()).isEqualTo(1 + 2 + 1);
    assertThat(store.unsynced.get()).isEqualTo(1);
  }

  @Test
  void theInMemoryStoreGetsTheStartAndTheEndOnly() {
    assertThat(runThreeSteps(false).commits.get()).isEqualTo(2);
  }
}
