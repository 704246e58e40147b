package dev.opsflow.bench.peers;

import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowRun;
import dev.opsflow.workflow.spi.ExecutionStore;
import dev.opsflow.workflow.spi.RunQuery;
import dev.opsflow.workflow.store.FileExecutionStore;
import dev.opsflow.workflow.store.JdbcExecutionStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Opsflow in the kill -9 comparison, as {@code KillRestartChild} does it, on the file store or
 * PostgreSQL: {@code <file DIR|postgres> kill-start <effects> <runs>} starts the runs (run ids
 * "kr-0"..., {@link KillWork}'s 5 steps) with the engine's defaults and waits for its SIGKILL;
 * {@code <file DIR|postgres> kill-recover <effects> <runs>} builds an engine on the same store and
 * calls {@code recover()} every 100 ms, as a host that recovers periodically does, until every run
 * is complete. The engine takes a dead owner's runs at once (the file store's OS lock, PostgreSQL's
 * advisory lock), without waiting for their 30 s lease.
 */
final class OpsflowKill {
  private OpsflowKill() {}

  /**
   * Runs one JVM of the comparison.
   *
   * @param args the store ({@code file DIR} or {@code postgres}), then the mode and its arguments
   * @throws Exception when the store cannot be opened or a run fails
   */
  public static void main(String[] args) throws Exception {
    ExecutionStore store;
    int at;
    if (args[0].equals("file")) {
      store = FileExecutionStore.open(Path.of(args[1]));
      at = 2;
    } else if (args[0].equals("postgres")) {
      store = JdbcExecutionStore.create(PeerPostgres.pool(16));
      at = 1;
    } else {
      throw new IllegalArgumentException("store must be 'file DIR' or 'postgres', not " + args[0]);
    }
    KillWork.effects(args[at + 1], args[at]);
    int runs = Integer.parseInt(args[at + 2]);
    var b = Workflow.builder("kill-restart");
    for (String s : KillWork.STEPS) {
      b.step(Step.of(s, ctx -> KillWork.step(ctx.runId(), s)));
    }
    Workflow wf = b.build();
    try (var engine = WorkflowEngine.builder().store(store).build()) {
      if (args[at].equals("kill-start")) {
        for (int i = 0; i < runs; i++) {
          engine.start(wf, Map.of(), RunOptions.defaults().withRunId(KillWork.runId(i)));
        }
        KillWork.started();
        Thread.sleep(Long.MAX_VALUE);
      }
      List<WorkflowRun> taken = new ArrayList<>();
      // Where the restart's time goes, in the round's recover.log (stderr).
      phase("engine built");
      while (completed(store) < runs) {
        var now = engine.recover(Map.of(wf.name(), wf));
        phase("recover() returned " + now.size() + " runs");
        taken.addAll(now);
        for (WorkflowRun r : taken) {
          r.await(Duration.ofMinutes(5));
        }
        phase("the runs taken so far ended");
        if (completed(store) < runs) {
          Thread.sleep(100);
        }
      }
      KillWork.complete(completed(store));
    }
    System.exit(0); // the PostgreSQL pool's connections
  }

  private static void phase(String what) {
    long ms =
        System.currentTimeMillis()
            - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
    System.err.println("phase ms=" + ms + " " + what);
  }

  private static int completed(ExecutionStore store) {
    return store.query(RunQuery.all().withState(RunState.COMPLETED).withLimit(100_000)).size();
  }
}
