package dev.opsflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.spi.ExecutionStore;
import dev.opsflow.workflow.spi.RunQuery;
import dev.opsflow.workflow.spi.RunRecord;
import dev.opsflow.workflow.store.InMemoryExecutionStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A durable store gets a commit after every step; the in-memory store at the start and end. */
class CommitPolicyTest {

  /** Counts the commits it passes to an in-memory store, claiming to be durable or not. */
  static final class CountingStore implements ExecutionStore {
    final InMemoryExecutionStore inner = new InMemoryExecutionStore();
    final AtomicInteger commits = new AtomicInteger();
    final boolean durable;

    /** Called with each record once it is stored. */
    volatile java.util.function.Consumer<RunRecord> afterCommit = r -> {};

    CountingStore(boolean durable) {
      this.durable = durable;
    }

    @Override
    public boolean durable() {
      return durable;
    }

    @Override
    public Created create(RunRecord run) {
      return inner.create(run);
    }

    @Override
    public RunRecord commit(RunRecord run, List<WorkflowEvent> events) {
      commits.incrementAndGet();
      RunRecord stored = inner.commit(run, events);
      afterCommit.accept(stored);
      return stored;
    }

    @Override
    public Optional<RunRecord> find(String runId) {
      return inner.find(runId);
    }

    @Override
    public Optional<RunRecord> findByIdempotencyKey(String key) {
      return inner.findByIdempotencyKey(key);
    }

    @Override
    public List<WorkflowEvent> events(String runId) {
      return inner.events(runId);
    }

    @Override
    public List<RunRecord> query(RunQuery query) {
      return inner.query(query);
    }

    @Override
    public Optional<RunRecord> claim(String runId, String owner, Instant now, Duration lease) {
      return inner.claim(runId, owner, now, lease);
    }

    @Override
    public List<String> findExpired(Instant now, int limit) {
      return inner.findExpired(now, limit);
    }

    @Override
    public int deleteFinishedBefore(Instant cutoff) {
      return inner.deleteFinishedBefore(cutoff);
    }
  }

  private static int commitsFor(boolean durable) {
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
    return store.commits.get();
  }

  @Test
  void aDurableStoreGetsACommitAfterEveryStep() {
    assertThat(commitsFor(true)).isEqualTo(1 + 3 + 1);
  }

  @Test
  void theInMemoryStoreGetsTheStartAndTheEndOnly() {
    assertThat(commitsFor(false)).isEqualTo(2);
  }
}
