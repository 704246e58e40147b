package dev.opsflow.workflow.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.spi.RunQuery;
import dev.opsflow.workflow.spi.RunRecord;
import dev.opsflow.workflow.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit trail through the engine on the file store: queries, journals, retention. */
class HistoryTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  @TempDir Path dir;
  private final ManualClock clock = new ManualClock(T0);
  private WorkflowEngine engine;
  private String completed;
  private String failed;
  private String other;

  @BeforeEach
  void threeRunsAnHourApart() {
    engine =
        WorkflowEngine.builder()
            .store(FileExecutionStore.open(dir))
            .clock(clock)
            .sleeper(clock)
            .build();
    var alpha =
        Workflow.builder("alpha")
            .step(Step.of("one", ctx -> {}))
            .step(Step.of("two", ctx -> ctx.output("answer", 42)))
            .build();
    var broken =
        Workflow.builder("alpha")
            .step(
                Step.of(
                    "one",
                    ctx -> {
                      throw new IllegalStateException("disk full");
                    }))
            .build();
    var beta = Workflow.builder("beta").step(Step.of("only", ctx -> {})).build();
    completed =
        engine.run(alpha, Map.of(), RunOptions.defaults().withIdempotencyKey("k-1")).runId();
    clock.advance(Duration.ofHours(1));
    failed = engine.run(broken, Map.of()).runId();
    clock.advance(Duration.ofHours(1));
    other = engine.run(beta, Map.of()).runId();
  }

  @Test
  void runsAreQueriedByWorkflowStateTimeRangeAndKeyNewestFirst() {
    assertThat(ids(RunQuery.all())).containsExactly(other, failed, completed);
    assertThat(ids(RunQuery.all().withWorkflow("alpha"))).containsExactly(failed, completed);
    assertThat(ids(RunQuery.all().withState(RunState.FAILED))).containsExactly(failed);
    assertThat(ids(RunQuery.all().createdBetween(T0.plusSeconds(1800), T0.plusSeconds(5400))))
        .containsExactly(failed);
    assertThat(ids(RunQuery.all().withIdempotencyKey("k-1"))).containsExactly(completed);
  }

  @Test
  void aRunsJournalHoldsItsEventsInSequence() {
    List<WorkflowEvent> journal = engine.events(completed);

    assertThat(journal)
        .extracting(WorkflowEvent::sequence)
        .containsExactlyElementsOf(
            java.util.stream.LongStream.rangeClosed(1, journal.size()).boxed().toList());
    assertThat(journal.get(0)).isInstanceOf(WorkflowEvent.RunStarted.class);
    assertThat(journal)
        .filteredOn(e -> e instanceof WorkflowEvent.StepSucceeded)
        .extracting(e -> ((WorkflowEvent.StepSucceeded) e).step())
        .containsExactly("one", "two");
    assertThat(journal.get(journal.size() - 1))
        .isInstanceOfSatisfying(
            WorkflowEvent.RunFinished.class,
            e -> assertThat(e.state()).isEqualTo(RunState.COMPLETED));
    assertThat(engine.events(failed))
        .anySatisfy(e -> assertThat(e).isInstanceOf(WorkflowEvent.StepFailed.class));
  }

  @Test
  void retentionDeletesFinishedRunsOlderThanTheAgeWithTheirJournals() {
    clock.advance(Duration.ofMinutes(30));

    assertThat(engine.deleteFinishedOlderThan(Duration.ofMinutes(90))).isEqualTo(1);

    assertThat(ids(RunQuery.all())).containsExactly(other, failed);
    assertThat(engine.events(completed)).isEmpty();
    assertThat(engine.deleteFinishedOlderThan(Duration.ofMinutes(90))).isZero();
  }

  private List<String> ids(RunQuery q) {
    return engine.history(q).stream().map(RunRecord::runId).toList();
  }
}
