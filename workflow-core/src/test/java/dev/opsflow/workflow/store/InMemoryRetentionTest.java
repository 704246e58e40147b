package dev.opsflow.workflow.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowResult;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The in-memory store keeps the most recent finished runs, so a long-lived host stays bounded. */
class InMemoryRetentionTest {

  @Test
  void theOldestFinishedRunsAreForgottenWithTheirJournalsAndKeys() {
    var store = new InMemoryExecutionStore(2);
    var executions = new AtomicInteger();
    var wf = Workflow.builder("count").step("one", ctx -> executions.incrementAndGet()).build();
    try (var engine = WorkflowEngine.builder().store(store).build()) {
      WorkflowResult first =
          engine.run(wf, Map.of(), RunOptions.defaults().withIdempotencyKey("k1"));
      WorkflowResult second = engine.run(wf, Map.of());
      WorkflowResult third = engine.run(wf, Map.of());

      assertThat(store.find(first.runId())).isEmpty();
      assertThat(store.events(first.runId())).isEmpty();
      assertThat(store.findByIdempotencyKey("k1")).isEmpty();
      assertThat(store.find(second.runId())).isPresent();
      assertThat(store.find(third.runId())).isPresent();

      engine.run(wf, Map.of(), RunOptions.defaults().withIdempotencyKey("k1"));
      assertThat(executions).hasValue(4);
    }
  }
}
