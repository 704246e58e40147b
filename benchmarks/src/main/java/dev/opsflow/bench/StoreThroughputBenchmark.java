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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 *
 * <p>{@code cleanup} says when the file store's files are deleted. {@code trial} (the default):
 * each iteration's directory is kept until the trial ends, so an iteration does not create its
 * thousands of files right after the previous one deleted thousands in the same block groups: on
 * ext4 without a journal the inode allocator skips, reading the inode table, every inode deleted in
 * the last minutes, so that each creation then costs about 1 ms of kernel CPU, which measured the
 * benchmark's own deletions rather than the store. {@code iteration}: the directory is deleted at
 * each iteration's end (the behaviour before, for comparison with earlier figures). {@code
 * retention}: one directory for the whole trial, its finished runs deleted by the store's retention
 * ({@code deleteFinishedBefore}) at each iteration's end, as a long-lived store's are (the store
 * recycles their files as spares for the next runs).
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

  /**
   * When the file store's files are deleted: {@code trial}, {@code iteration}, {@code retention}.
   */
  @Param({"trial"})
  public String cleanup;

  Workflow workflow;
  WorkflowEngine engine;
  Path dir;
  TestPool pool;
  FileExecutionStore fileStore;
  final List<Path> kept = new ArrayList<>();

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

  /** The iteration's JDBC store, closed after its engine. */
  private JdbcExecutionStore jdbcStore;

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
        if (cleanup.equals("retention") && fileStore != null) {
          return fileStore;
        }
        Files.createDirectories(base);
        dir = Files.createTempDirectory(base, "opsflow-throughput-");
        fileStore = FileExecutionStore.open(dir);
        return fileStore;
      case "h2":
        jdbcStore = JdbcExecutionStore.create(BenchDatabases.h2());
        return jdbcStore;
      case "postgres":
        BenchDatabases.truncateStoreTables(pool);
        jdbcStore = JdbcExecutionStore.create(pool);
        return jdbcStore;
      default:
        throw new IllegalArgumentException(
            "store must be memory, file, h2 or postgres, was " + store);
    }
  }

  @TearDown(Level.Iteration)
  public void closeStore() throws IOException {
    engine.close();
    if (jdbcStore != null) {
      // Its owners' session ends; the next iteration's store opens its own.
      jdbcStore.close();
      jdbcStore = null;
    }
    if (dir == null) {
      return;
    }
    switch (cleanup) {
      case "iteration" -> {
        BenchFiles.deleteTree(dir);
        dir = null;
        fileStore = null;
      }
      case "trial" -> {
        kept.add(dir);
        dir = null;
        fileStore = null;
      }
      case "retention" -> {
        int deleted = fileStore.deleteFinishedBefore(Instant.now().plusSeconds(1));
        if (deleted != runs) {
          throw new IllegalStateException("retention deleted " + deleted + " of " + runs + " runs");
        }
      }
      default ->
          throw new IllegalArgumentException(
              "cleanup must be trial, iteration or retention, was " + cleanup);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    if (pool != null) {
      pool.close();
    }
    if (dir != null) {
      kept.add(dir);
      dir = null;
    }
    for (Path d : kept) {
      BenchFiles.deleteTree(d);
    }
    kept.clear();
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
