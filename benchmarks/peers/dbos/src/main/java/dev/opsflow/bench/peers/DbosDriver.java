package dev.opsflow.bench.peers;

import dev.dbos.transact.DBOS;
import dev.dbos.transact.config.DBOSConfig;
import dev.dbos.transact.workflow.Workflow;
import dev.dbos.transact.workflow.WorkflowHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * DBOS Transact on the comparison's PostgreSQL ({@code -Dopsflow.bench.jdbc.url} and {@code .user};
 * the password from {@code OPSFLOW_BENCH_JDBC_PASSWORD}), set up as its documentation shows: a
 * workflow class registered as a proxy, its steps through {@code runStep}, the admin server off.
 * Like-for-like with Opsflow's PostgreSQL store: both commit each step to the same server.
 */
public final class DbosDriver implements DriverMain.System {
  static volatile Runnable onFirst = () -> {};

  /** The workflow. */
  public interface Runs {
    void run(int steps);
  }

  /** Its implementation: {@code steps} no-op steps one after the other. */
  public static final class RunsImpl implements Runs {
    private final DBOS dbos;

    RunsImpl(DBOS dbos) {
      this.dbos = dbos;
    }

    @Override
    @Workflow
    public void run(int steps) {
      for (int i = 1; i <= steps; i++) {
        boolean first = i == 1;
        dbos.runStep(
            () -> {
              if (first) {
                onFirst.run();
              }
            },
            "s" + i);
      }
    }
  }

  private DBOS dbos;
  private Runs runs;

  public static void main(String[] args) throws Exception {
    if (args[0].startsWith("kill-")) {
      DbosKill.main(args);
    } else {
      DriverMain.run(new DbosDriver(), args);
    }
    java.lang.System.exit(0);
  }

  @Override
  public void setUp() {
    DBOSConfig config =
        DBOSConfig.defaults("opsflow-bench")
            .withDatabaseUrl(PeerDatabase.url())
            .withDbUser(PeerDatabase.user())
            .withDbPassword(PeerDatabase.password())
            .withAdminServer(false);
    dbos = new DBOS(config);
    runs = dbos.registerProxy(Runs.class, new RunsImpl(dbos));
    dbos.launch();
  }

  @Override
  public void roundTrip(Runnable firstStep) {
    onFirst = firstStep;
    runs.run(3);
  }

  @Override
  public void throughput(int n) throws Exception {
    onFirst = () -> {};
    List<WorkflowHandle<Void, RuntimeException>> started = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      started.add(dbos.startWorkflow(() -> runs.run(5)));
    }
    for (var h : started) {
      h.getResult();
    }
  }

  @Override
  public void tearDown() {
    dbos.shutdown();
  }
}
