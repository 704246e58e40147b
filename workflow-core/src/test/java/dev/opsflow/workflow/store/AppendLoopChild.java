package dev.opsflow.workflow.store;

import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.spi.RunRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The child JVM of {@link FileStoreTornTailTest}: commits run {@code args[1]} of the file store in
 * {@code args[0]} in a loop, each commit a frame of about 200 KB, until the parent kills it; prints
 * {@code committed <version>} after each commit returned. Continues the run if it exists.
 */
public final class AppendLoopChild {
  static final String COMMITTED = "committed ";

  private AppendLoopChild() {}

  /** Characters of the context value {@code blob}. */
  static final int BLOB = 200_000;

  /** The context value {@code blob}, of {@code chars}, of the commit that made {@code version}. */
  static String blob(long version, int chars) {
    String unit = "v" + version + ":";
    return unit.repeat(chars / unit.length());
  }

  /** The three events of the commit that made {@code version} (the run's first commit: 2). */
  static List<WorkflowEvent> events(String runId, long version, Instant at) {
    long seq = 3 * (version - 2);
    return List.of(
        new WorkflowEvent.StepStarted(runId, seq + 1, at, "s", 1),
        new WorkflowEvent.StepProgress(runId, seq + 2, at, "s", 50, "v" + version),
        new WorkflowEvent.StepSucceeded(runId, seq + 3, at, "s", 1, version));
  }

  /** The run as the commit that makes {@code run.version() + 1} stores it. */
  static RunRecord next(RunRecord run, int blobChars) {
    long version = run.version() + 1;
    var context = new LinkedHashMap<>(run.context());
    context.put("v", version);
    context.put("blob", blob(version, blobChars));
    return run.withProgress(
        RunState.RUNNING,
        run.steps(),
        context,
        run.outputs(),
        null,
        StoreSamples.T0.plusSeconds(version));
  }

  public static void main(String[] args) {
    var store = FileExecutionStore.open(Path.of(args[0]));
    String runId = args[1];
    RunRecord run =
        store
            .find(runId)
            .orElseGet(() -> store.create(StoreSamples.run(runId, StoreSamples.T0)).run());
    while (true) {
      RunRecord next = next(run, BLOB);
      run = store.commit(next, events(runId, run.version() + 1, next.updatedAt()));
      System.out.println(COMMITTED + run.version());
      System.out.flush();
    }
  }
}
