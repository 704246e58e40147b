package dev.opsflow.workflow.store;

import dev.opsflow.workflow.Input;
import dev.opsflow.workflow.Key;
import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowRun;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A child JVM of {@link FileStoreProcessesTest}: an engine on the shared store directory that
 * recovers expired runs in a loop, then starts the runs of {@link #KEYS} idempotency keys. Every
 * step appends {@code <runId> <step>} to the side-effect file, and {@code OVERLAP <runId>} when
 * another execution of its run is in flight (a marker file created with CREATE_NEW exists).
 *
 * <p>Arguments: store directory, side-effect file, marker directory, owner id.
 */
public final class FileStoreProcessesChild {
  static final List<String> STEPS = List.of("a", "b", "c");
  static final int KEYS = 10;
  private static final Key<String> KEY = Key.of("key", String.class);

  private FileStoreProcessesChild() {}

  public static void main(String[] args) {
    Path effects = Path.of(args[1]);
    Path markers = Path.of(args[2]);
    var store = FileExecutionStore.open(Path.of(args[0]));
    try (var engine = WorkflowEngine.builder().store(store).ownerId(args[3]).build()) {
      var mine = new ArrayList<WorkflowRun>();
      Map<String, Workflow> workflows =
          Map.of(
              "recovered",
              workflow("recovered", effects, markers),
              "keyed",
              workflow("keyed", effects, markers));
      while (true) {
        List<WorkflowRun> got = engine.recover(workflows);
        mine.addAll(got);
        if (got.isEmpty() && store.findExpired(Instant.now(), 1).isEmpty()) {
          break;
        }
      }
      for (int i = 0; i < KEYS; i++) {
        mine.add(
            engine.start(
                workflows.get("keyed"),
                Map.of("key", "k-" + i),
                RunOptions.defaults().withIdempotencyKey("k-" + i)));
      }
      mine.forEach(WorkflowRun::await);
      System.out.println("OPSFLOW-CHILD done " + mine.size());
    }
  }

  static Workflow workflow(String name, Path effects, Path markers) {
    var b = Workflow.builder(name).input(Input.optional(KEY, "none"));
    for (String step : STEPS) {
      b.step(
          Step.of(
              step,
              ctx -> {
                Path marker = markers.resolve(ctx.runId());
                try {
                  Files.createFile(marker);
                } catch (FileAlreadyExistsException e) {
                  CrashWorkflow.append(effects, "OVERLAP " + ctx.runId());
                  return;
                }
                try {
                  CrashWorkflow.append(effects, ctx.runId() + " " + step);
                } finally {
                  deleteQuietly(marker);
                }
              }));
    }
    return b.build();
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // The parent reports what is left.
    }
  }
}
