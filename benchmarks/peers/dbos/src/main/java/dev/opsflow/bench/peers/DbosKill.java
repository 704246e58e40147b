package dev.opsflow.bench.peers;

import dev.dbos.transact.DBOS;
import dev.dbos.transact.StartWorkflowOptions;
import dev.dbos.transact.config.DBOSConfig;
import dev.dbos.transact.workflow.Workflow;
import dev.dbos.transact.workflow.WorkflowState;

/**
 * DBOS in the kill -9 comparison: {@code kill-start <effects> <runs>} starts the runs (workflows
 * "kr-0"... of {@link KillWork}'s 5 steps, each a {@code runStep}) and waits for its SIGKILL;
 * {@code kill-recover <effects> <runs>} launches DBOS again on the same database, which recovers
 * the pending workflows of its executor ("local", the default) by itself at launch, as DBOS's
 * documentation says, and waits for every run's result. Nothing else is done on the restart. The
 * system tables are in the schema {@code -Dopsflow.bench.kill.schema} (default {@code dbos}).
 */
final class DbosKill {
  /** The workflow. */
  public interface Work {
    /** Runs the 5 steps of run {@code runId}. */
    void run(String runId) throws InterruptedException;
  }

  /** Its implementation: each step through {@code runStep}, so a completed one is not run again. */
  public static final class WorkImpl implements Work {
    private final DBOS dbos;

    WorkImpl(DBOS dbos) {
      this.dbos = dbos;
    }

    @Override
    @Workflow
    public void run(String runId) throws InterruptedException {
      for (String s : KillWork.STEPS) {
        dbos.<InterruptedException>runStep(() -> KillWork.step(runId, s), s);
      }
    }
  }

  private DbosKill() {}

  static void main(String[] args) throws Exception {
    KillWork.effects(args[1], args[0]);
    int runs = Integer.parseInt(args[2]);
    DBOSConfig config =
        DBOSConfig.defaults("opsflow-kill")
            .withDatabaseUrl(PeerDatabase.url())
            .withDbUser(PeerDatabase.user())
            .withDbPassword(PeerDatabase.password())
            .withDatabaseSchema(System.getProperty("opsflow.bench.kill.schema", "dbos"))
            .withAdminServer(false);
    DBOS dbos = new DBOS(config);
    Work work = dbos.registerProxy(Work.class, new WorkImpl(dbos));
    dbos.launch();
    if (args[0].equals("kill-start")) {
      for (int i = 0; i < runs; i++) {
        String id = KillWork.runId(i);
        dbos.startWorkflow(() -> work.run(id), new StartWorkflowOptions().withWorkflowId(id));
      }
      KillWork.started();
      Thread.sleep(Long.MAX_VALUE);
    }
    int complete = 0;
    for (int i = 0; i < runs; i++) {
      var handle = dbos.<Void, InterruptedException>retrieveWorkflow(KillWork.runId(i));
      handle.getResult();
      if (handle.getStatus().status() == WorkflowState.SUCCESS) {
        complete++;
      }
    }
    KillWork.complete(complete);
    dbos.shutdown();
  }
}
