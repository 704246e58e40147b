package dev.opsflow.bench;

import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.spi.RunRecord;
import dev.opsflow.workflow.store.InMemoryExecutionStore;
import dev.opsflow.workflow.store.JdbcExecutionStore;
import dev.opsflow.workflow.store.TestPool;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JDBC store's cost per step commit on PostgreSQL (an UPDATE of the run row at its version, an
 * INSERT of the step's 3 events, a COMMIT), over the 7 commits of a 5-step run's life (each run
 * created untimed), against the baseline of a single-row INSERT of the run's JSON (as a commit in
 * the middle of its life writes it) and a COMMIT, on one connection to the same server. Needs
 * {@code -Dopsflow.bench.jdbc.url} (see {@link BenchDatabases}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class PostgresCommitBenchmark {
  TestPool pool;
  StoreBenchmarkData store;
  JdbcExecutionStore jdbcStore;
  Connection raw;
  PreparedStatement insert;
  String runJson;

  @Setup(Level.Trial)
  public void setUp() throws SQLException {
    pool = BenchDatabases.postgres(2);
    BenchDatabases.truncateStoreTables(pool);
    jdbcStore = JdbcExecutionStore.create(pool);
    store = new StoreBenchmarkData(jdbcStore, "run-" + UUID.randomUUID());
    raw = pool.getConnection();
    try (Statement s = raw.createStatement()) {
      s.execute("DROP TABLE IF EXISTS bench_raw");
      s.execute("CREATE TABLE bench_raw (id BIGSERIAL PRIMARY KEY, payload JSON NOT NULL)");
    }
    raw.setAutoCommit(false);
    insert = raw.prepareStatement("INSERT INTO bench_raw (payload) VALUES (CAST(? AS JSON))");
    runJson = Json.mapper().writeValueAsString(midLifeRun());
  }

  /** The run as a step commit in the middle of its life writes it (3 of 5 steps done). */
  private static RunRecord midLifeRun() {
    var life = new StoreBenchmarkData(new InMemoryExecutionStore(), "x");
    RunRecord r = null;
    for (int i = 0; i < 5; i++) {
      r = life.next();
    }
    return r;
  }

  @TearDown(Level.Trial)
  public void tearDown() throws SQLException {
    insert.close();
    raw.close();
    jdbcStore.close();
    pool.close();
  }

  /** Untimed: a new run when the last one's life is over, and the next commit's record. */
  @Setup(Level.Invocation)
  public void newRunIfDue() {
    store.prepare();
  }

  @Benchmark
  public RunRecord jdbcStoreStepCommit() {
    return store.commit();
  }

  @Benchmark
  public int baselineInsertOneRowAndCommit() throws SQLException {
    insert.setString(1, runJson);
    int n = insert.executeUpdate();
    raw.commit();
    return n;
  }
}
