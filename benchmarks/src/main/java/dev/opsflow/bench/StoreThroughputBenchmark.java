package dev.opsflow.bench;

import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowRun;
import dev.opsflow.workflow.spi.ExecutionStore;
import dev.opsflow.workflow.store.FileExecutionStore;
import dev.opsflow.workflow.store.InMemoryExecutionStore;
import dev.opsflow.workflow.store.JdbcExecutionStore;
import dev.opsflow.workflow.store.TestPool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of durable runs: {@code runs} runs of a 5-step no-op workflow started at once on one
 * engine and awaited, on a fresh store each iteration. The score is the time for all of them
 * (single shot); runs per second = runs / score. Stores: {@code memory}, {@code file} (under {@code
 * -Dopsflow.bench.dir}), {@code h2} (in memory), {@code postgres} (add {@code -p store=postgres}
 * and the {@code opsflow.bench.jdbc.*} properties, see {@link BenchDatabases}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(
    value = 1,
    jvmArgs = {"-Xmx4g"})
public class StoreThroughputBenchmark {
  @Param({"memory", "file", "h2"})
  public String store;

  @Param({"1000", "10000"})
  public int runs;

  Workflow workflow;
  WorkflowEngine engine;
  Path dir;
  TestPool pool;

  @Setup(Level.Trial)
  public void setUp() throws SQLException {
    var b = Workflow.builder("five-steps");
    for (int i = 1; i <= 5; i++) {
      b.step(Step.of("step-" + i, ctx -> {}));
    }
    workflow = b.build();
    if (store.equals("postgres")) {
      pool = BenchDatabases.postgres(16);
    }
  }

  @Setup(Level.Iteration)
  public void freshStore() throws IOException, SQLException {
    engine = WorkflowEngine.builder().store(newStore()).build();
  }

  private ExecutionStore newStore() throws IOException, SQLException {
    switch (store) {
      case "memory":
        return new InMemoryExecutionStore();
      case "file":
        Path base =
            Path.of(System.getProperty("opsflow.bench.dir", System.getProperty("java.io.tmpdir")));
        Files.createDirectories(base);
        dir = Files.createTempDirectory(base, "opsflow-throughput-");
        return FileExecutionStore.open(dir);
      case "h2":
        return JdbcExecutionStore.create(BenchDatabases.h2());
      case "postgres":
        BenchDatabases.truncateStoreTables(pool);
        return JdbcExecutionStore.create(pool);
      default:
        throw new IllegalArgumentException(
            "store must be memory, file, h2 or postgres, was " + store);
    }
  }

  @TearDown(Level.Iteration)
  public void closeStore() throws IOException {
    engine.close();
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
      dir = null;
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (pool != null) {
      pool.close();
    }
  }

  @Benchmark
  public int runsOfFiveSteps() {
    var started = new ArrayList<WorkflowRun>(runs);
    for (int i = 0; i < runs; i++) {
      started.add(engine.start(workflow, Map.of()));
    }
    int completed = 0;
    for (WorkflowRun r : started) {
      if (r.await().success()) {
        completed++;
      }
    }
    if (completed != runs) {
      throw new IllegalStateException(completed + " of " + runs + " runs completed");
    }
    return completed;
  }
}
