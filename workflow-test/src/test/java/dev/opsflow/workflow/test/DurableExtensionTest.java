package dev.opsflow.workflow.test;

import static dev.opsflow.workflow.test.WorkflowAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.Compliance;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.spi.ExecutionStore;
import dev.opsflow.workflow.spi.RunQuery;
import dev.opsflow.workflow.testing.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A configured extension: a durable store (so compliance-sensitive workflows run and resume), an
 * extra listener, and things asked for in {@code @BeforeAll} shared by the class's tests.
 */
class DurableExtensionTest {
  static final List<WorkflowEvent> seen = new CopyOnWriteArrayList<>();

  @RegisterExtension
  static final WorkflowExtension opsflow = WorkflowExtension.durable().withListener(seen::add);

  static ManualClock classClock;

  @BeforeAll
  static void shared(ManualClock clock) {
    classClock = clock;
  }

  Workflow rotate() {
    return Workflow.builder("rotate-credentials")
        .compliance(Compliance.audited("identity"))
        .step("rotate", ctx -> ctx.sleep(Duration.ofMinutes(5)))
        .build();
  }

  @Test
  void aComplianceSensitiveWorkflowRunsOnTheDurableStoreAndIsRecorded(
      WorkflowEngine engine, ExecutionStore store) {
    WorkflowResult result = engine.run(rotate(), Map.of());

    assertThat(result).isCompleted();
    assertThat(store.query(RunQuery.all()))
        .filteredOn(r -> r.runId().equals(result.runId()))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.attributes())
                    .containsEntry(Compliance.CATEGORY_ATTRIBUTE, "identity"));
    assertThat(engine.events(result.runId())).isNotEmpty();
    assertThat(seen).anyMatch(e -> e.runId().equals(result.runId()));
  }

  @Test
  void theClassesTestsShareTheClockAskedForInBeforeAll(ManualClock clock, WorkflowEngine engine) {
    assertThat(clock).isSameAs(classClock);
    assertThat(engine.clock()).isSameAs(classClock);
    assertThat(engine.run(rotate(), Map.of()).status()).isEqualTo(RunState.COMPLETED);
  }
}
