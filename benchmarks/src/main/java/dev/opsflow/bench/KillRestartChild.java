package dev.opsflow.bench;

import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowRun;
import dev.opsflow.workflow.spi.ExecutionStore;
import dev.opsflow.workflow.spi.RunQuery;
import dev.opsflow.workflow.store.FileExecutionStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A JVM of {@link KillRestartComparison}. {@code start <dir> <effects> <runs>}: starts that many
 * runs of 5 steps (each step appends "run step" to the effects file, then sleeps 200 ms) and waits
 * to be killed. {@code recover <dir> <effects>}: recovers every run the killed JVM left, awaits
 * them and prints {@code recovered=<n> ms=<JVM start to all complete>}. Default engine settings (a
 * 30 s lease).
 */
public final class KillRestartChild {
  /** Long enough that the kill finds many runs in the middle of a step. */
  private static final long STEP_MS = 200;

  private KillRestartChild() {}

  static Workflow workflow(Path effects) {
    var b = Workflow.builder("kill-restart");
    for (String s : List.of("s1", "s2", "s3", "s4", "s5")) {
      b.step(
          Step.of(
              s,
              ctx -> {
                append(effects, ctx.runId() + " " + s);
                Thread.sleep(STEP_MS);
              }));
    }
    return b.build();
  }

  public static void main(String[] args) throws Exception {
    ExecutionStore store = FileExecutionStore.open(Path.of(args[1]));
    Path effects = Path.of(args[2]);
    Workflow wf = workflow(effects);
    try (var engine = WorkflowEngine.builder().store(store).build()) {
      if (args[0].equals("start")) {
        int runs = Integer.parseInt(args[3]);
        for (int i = 0; i < runs; i++) {
          engine.start(wf, Map.of(), RunOptions.defaults().withRunId("kr-" + i));
        }
        System.out.println("started");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
      }
      // Asked again every 100 ms, as a host that recovers periodically does, until every run
      // completed: without takeover, the killed JVM's runs wait for their lease.
      int runs = Integer.parseInt(args[3]);
      List<WorkflowRun> taken = new ArrayList<>();
      long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
      long firstClaim = 0;
      while (completed(store) < runs) {
        taken.addAll(engine.recover(Map.of(wf.name(), wf)));
        if (firstClaim == 0 && !taken.isEmpty()) {
          firstClaim = System.currentTimeMillis();
        }
        for (WorkflowRun r : taken) {
          r.await(Duration.ofMinutes(5));
        }
        if (completed(store) < runs) {
          Thread.sleep(100);
        }
      }
      long ms = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
      System.out.println("recovered=" + taken.size() + " ms=" + ms);
    }
  }

  private static int completed(ExecutionStore store) {
    return store.query(RunQuery.all().withState(RunState.COMPLETED).withLimit(100_000)).size();
  }

  static synchronized void append(Path file, String line) throws IOException {
    Files.writeString(
        file,
        line + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }
}
