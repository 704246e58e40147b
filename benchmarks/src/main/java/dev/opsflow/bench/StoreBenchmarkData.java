package dev.opsflow.bench;

import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.StepOutcome;
import dev.opsflow.workflow.StepStatus;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.spi.ExecutionStore;
import dev.opsflow.workflow.spi.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The store benchmarks' unit of work: the life of one 5-step run as the engine stores it: a create,
 * then 7 commits (run started, one per step, run finished), each with the events since the previous
 * one. {@link #next} performs the next operation of that cycle, so an average over many operations
 * is the cost of one store operation of a real run, journal growth included. The commit benchmarks
 * create each run and build each record untimed ({@link #prepare}) and time the store's commit only
 * ({@link #commit}).
 */
final class StoreBenchmarkData {
  static final List<String> STEPS = List.of("bootstrap", "join", "configure", "verify", "tune");

  /** Operations in one run's life: create + 7 commits. */
  static final int OPS_PER_RUN = 8;

  private final ExecutionStore store;
  private final String prefix;
  private int runNumber;
  private int op;
  private RunRecord current;
  private RunRecord nextRecord;
  private List<WorkflowEvent> nextEvents;
  private long seq;

  StoreBenchmarkData(ExecutionStore store, String prefix) {
    this.store = store;
    this.prefix = prefix;
  }

  /**
   * Untimed part of the next operation: creates the next run when the previous one's life is over,
   * then builds the record and events of the next commit, as the engine would.
   */
  void prepare() {
    if (op == 0) {
      seq = 0;
      current = store.create(newRun(prefix + "-" + (runNumber++), Instant.now())).run();
      op = 1;
    }
    Instant now = Instant.now();
    int done = op - 1;
    var steps = new ArrayList<StepOutcome>();
    for (int i = 0; i < STEPS.size(); i++) {
      steps.add(
          i < done
              ? new StepOutcome(
                  STEPS.get(i), StepStatus.COMPLETED, 1, 1200, now, now, null, null, null)
              : StepOutcome.pending(STEPS.get(i)));
    }
    boolean last = op == OPS_PER_RUN - 1;
    var context = new LinkedHashMap<>(current.context());
    context.put("step" + done, Map.of("id", "node-" + done, "address", "10.0.0." + done));
    WorkflowResult result =
        last
            ? new WorkflowResult(
                current.runId(),
                current.workflow(),
                1,
                true,
                RunState.COMPLETED,
                "done",
                current.outputs(),
                steps,
                null,
                false,
                current.createdAt(),
                now)
            : null;
    nextRecord =
        current.withProgress(
            last ? RunState.COMPLETED : RunState.RUNNING,
            steps,
            context,
            current.outputs(),
            result,
            now);
    nextEvents = events(current.runId(), done, now);
  }

  /** The timed part: the store's commit of what {@link #prepare} built. */
  RunRecord commit() {
    current = store.commit(nextRecord, nextEvents);
    op = (op + 1) % OPS_PER_RUN;
    return current;
  }

  /** Prepares and performs the next operation (a create counts as one); returns the record. */
  RunRecord next() {
    if (op == 0) {
      prepare();
      return current;
    }
    prepare();
    return commit();
  }

  /** The three events a step commit carries: started, progress, succeeded. */
  private List<WorkflowEvent> events(String runId, int step, Instant now) {
    String name = STEPS.get(Math.min(step, STEPS.size() - 1));
    return List.of(
        new WorkflowEvent.StepStarted(runId, ++seq, now, name, 1),
        new WorkflowEvent.StepProgress(runId, ++seq, now, name, 50, "Working on " + name),
        new WorkflowEvent.StepSucceeded(runId, ++seq, now, name, 1, 1200));
  }

  static RunRecord newRun(String id, Instant now) {
    return new RunRecord(
        id,
        "provision-server",
        1,
        STEPS,
        null,
        RunState.RUNNING,
        false,
        true,
        Duration.ofHours(1),
        Map.of("host", "10.0.0.5", "rack", "r12", "profile", "db-large"),
        Map.of(),
        Map.of("serverId", "srv-123"),
        STEPS.stream().map(StepOutcome::pending).toList(),
        null,
        "bench-engine",
        now.plusSeconds(30),
        now,
        now,
        0);
  }
}
