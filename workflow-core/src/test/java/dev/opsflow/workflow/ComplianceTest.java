package dev.opsflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.workflow.spi.RunQuery;
import dev.opsflow.workflow.store.FileExecutionStore;
import dev.opsflow.workflow.store.InMemoryExecutionStore;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A compliance-sensitive workflow: its marking is recorded in every run, and one that needs an
 * audit is refused, before anything runs or is stored, on a store whose journal dies with the JVM.
 */
class ComplianceTest {
  @TempDir Path dir;
  final AtomicInteger ran = new AtomicInteger();

  Workflow rotate(Compliance marking) {
    return Workflow.builder("rotate-credentials")
        .compliance(marking)
        .step("rotate", ctx -> ran.incrementAndGet())
        .build();
  }

  @Test
  void everyRunRecordsTheMarkingInItsStoredAttributes() {
    try (var engine = WorkflowEngine.builder().store(FileExecutionStore.open(dir)).build()) {
      WorkflowResult result = engine.run(rotate(Compliance.audited("identity")), Map.of());

      assertThat(result.status()).isEqualTo(RunState.COMPLETED);
      assertThat(engine.history(RunQuery.all()))
          .singleElement()
          .satisfies(
              run ->
                  assertThat(run.attributes())
                      .containsEntry(Compliance.CATEGORY_ATTRIBUTE, "identity")
                      .containsEntry(Compliance.AUDIT_ATTRIBUTE, "true"));
      assertThat(engine.events(result.runId())).isNotEmpty();
    }
  }

  @Test
  void anAuditedWorkflowIsRefusedOnTheInMemoryStoreBeforeAnythingRuns() {
    var store = new InMemoryExecutionStore();
    try (var engine = WorkflowEngine.builder().store(store).build()) {
      assertThatThrownBy(() -> engine.run(rotate(Compliance.audited("finance")), Map.of()))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("'rotate-credentials' is compliance-sensitive (finance")
          .hasMessageContaining("InMemoryExecutionStore")
          .hasMessageContaining("FileExecutionStore or a JdbcExecutionStore");
    }
    assertThat(ran).hasValue(0);
    assertThat(store.query(RunQuery.all())).isEmpty();
  }

  @Test
  void aMarkingWithoutAuditRunsOnAnyStoreAndIsStillRecorded() {
    try (var engine = WorkflowEngine.builder().build()) {
      WorkflowResult result = engine.run(rotate(new Compliance("policy", false)), Map.of());

      assertThat(result.status()).isEqualTo(RunState.COMPLETED);
      assertThat(engine.store().find(result.runId()).orElseThrow().attributes())
          .containsExactly(
              Map.entry(Compliance.AUDIT_ATTRIBUTE, "false"),
              Map.entry(Compliance.CATEGORY_ATTRIBUTE, "policy"));
    }
  }

  @Test
  void aCategoryThatIsNotALowerCaseWordIsRefusedWithTheValue() {
    assertThatThrownBy(() -> Compliance.audited("Finance Team"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'Finance Team'")
        .hasMessageContaining("lower-case word");
  }
}
