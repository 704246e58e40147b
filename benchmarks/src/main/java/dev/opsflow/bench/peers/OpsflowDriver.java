package dev.opsflow.bench.peers;

import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowRun;
import dev.opsflow.workflow.spi.ExecutionStore;
import dev.opsflow.workflow.store.FileExecutionStore;
import dev.opsflow.workflow.store.InMemoryExecutionStore;
import dev.opsflow.workflow.store.JdbcExecutionStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Opsflow in {@link PeerComparison}: {@code <memory|file|h2|postgres> <mode> [n]}, the engine with
 * its defaults on that store. PostgreSQL: {@code -Dopsflow.bench.jdbc.url=...} (and {@code .user},
 * {@code .password}); the file store writes under {@code opsflow.bench.dir} or the temp dir.
 */
public final class OpsflowDriver implements DriverMain.System {
  private final String store;
  private WorkflowEngine engine;
  private DataSource pool;
  private ExecutionStore opened;
  private Path fileDir;
  private Runnable onFirst = () -> {};
  private Workflow three;
  private Workflow five;

  private OpsflowDriver(String store) {
    this.store = store;
  }

  public static void main(String[] args) throws Exception {
    String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
    DriverMain.run(new OpsflowDriver(args[0]), rest);
    java.lang.System.exit(0);
  }

  @Override
  public void setUp() throws Exception {
    ExecutionStore s =
        switch (store) {
          case "memory" -> new InMemoryExecutionStore();
          case "file" -> {
            fileDir =
                Files.createTempDirectory(
                    Path.of(
                        java.lang.System.getProperty(
                            "opsflow.bench.dir", java.lang.System.getProperty("java.io.tmpdir"))),
                    "opsflow-peer");
            yield FileExecutionStore.open(fileDir);
          }
          case "h2" -> {
            var ds = new org.h2.jdbcx.JdbcDataSource();
            ds.setURL("jdbc:h2:mem:peer-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
            pool = ds;
            yield JdbcExecutionStore.create(ds);
          }
          case "postgres" -> {
            pool = PeerPostgres.pool(16);
            yield JdbcExecutionStore.create(pool);
          }
          default -> throw new IllegalArgumentException("store must be memory|file|h2|postgres");
        };
    opened = s;
    engine = WorkflowEngine.builder().store(s).build();
    three = workflow("three", 3);
    five = workflow("five", 5);
  }

  private Workflow workflow(String name, int steps) {
    var b = Workflow.builder(name);
    for (int i = 1; i <= steps; i++) {
      boolean first = i == 1;
      b.step(
          Step.of(
              "s" + i,
              ctx -> {
                if (first) {
                  onFirst.run();
                }
              }));
    }
    return b.build();
  }

  @Override
  public void roundTrip(Runnable firstStep) {
    onFirst = firstStep;
    engine.run(three, Map.of(), RunOptions.defaults());
  }

  @Override
  public void throughput(int n) {
    onFirst = () -> {};
    List<WorkflowRun> runs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      runs.add(engine.start(five, Map.of(), RunOptions.defaults()));
    }
    for (WorkflowRun r : runs) {
      r.await(Duration.ofMinutes(10));
    }
  }

  @Override
  public void tearDown() throws Exception {
    // The engine does not close the store it was given; the store closes before its DataSource.
    engine.close();
    if (opened instanceof AutoCloseable c) {
      c.close();
    }
    if (pool instanceof AutoCloseable c) {
      c.close();
    }
    if (fileDir != null) {
      dev.opsflow.bench.BenchFiles.deleteTree(fileDir);
    }
  }
}
