package dev.opsflow.bench;

import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.store.JdbcExecutionStore;
import dev.opsflow.workflow.store.TestPool;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a lone 3-step run's time goes on the PostgreSQL store: the run's round trip ({@code
 * engine.run}) split at each store call by a timing store wrapper ({@link TimedStore}), beside the
 * raw operations underneath, all interleaved in one JVM so that they see the same disk: a pool's
 * borrow and return, {@code SELECT 1} (a loopback round trip), an autocommit update of 1 KB with
 * and without waiting for its WAL flush, one 1 KB write + fsync of a file (the floor's unit), and
 * the JSON of the run's record. Prints the median of each. Public API only, so that the same class
 * measures the code before a change.
 *
 * <pre>
 * java -Dopsflow.bench.jdbc.url=jdbc:postgresql://127.0.0.1:55438/bench \
 *   -cp benchmarks/target/benchmarks.jar dev.opsflow.bench.PostgresRoundTripBreakdown 1000
 * </pre>
 */
public final class PostgresRoundTripBreakdown {
  private PostgresRoundTripBreakdown() {}

  /**
   * Runs the breakdown.
   *
   * @param args the measured iterations (default 1000); a fifth as many unmeasured first
   * @throws Exception when the database or the disk fails
   */
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int warmup = Math.max(200, n / 5);
    var samples = new LinkedHashMap<String, long[]>();
    try (TestPool pool = BenchDatabases.postgres(16)) {
      BenchDatabases.truncateStoreTables(pool);
      try (Connection c = pool.getConnection();
          Statement s = c.createStatement()) {
        s.execute(
            "CREATE TABLE IF NOT EXISTS opsflow_probe (id INT PRIMARY KEY, payload TEXT NOT NULL)");
        s.execute("INSERT INTO opsflow_probe VALUES (1, '') ON CONFLICT (id) DO NOTHING");
      }
      var store = JdbcExecutionStore.create(pool);
      var timed = new TimedStore(store);
      WorkflowEngine engine = WorkflowEngine.builder().store(timed).build();
      Workflow three =
          Workflow.builder("three")
              .step(Step.of("s1", ctx -> {}))
              .step(Step.of("s2", ctx -> {}))
              .step(Step.of("s3", ctx -> {}))
              .build();
      Path file = Files.createTempFile("opsflow-breakdown", ".bin");
      String kb = "x".repeat(1024);
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE);
          Connection c = pool.getConnection();
          PreparedStatement select = c.prepareStatement("SELECT 1");
          PreparedStatement synced =
              c.prepareStatement("UPDATE opsflow_probe SET payload = ? WHERE id = 1");
          PreparedStatement unsynced =
              c.prepareStatement(
                  "WITH u AS (UPDATE opsflow_probe SET payload = ? WHERE id = 1 RETURNING 1)"
                      + " SELECT (SELECT count(*) FROM u),"
                      + " set_config('synchronous_commit', 'off', true)")) {
        c.setAutoCommit(true);
        ByteBuffer buf = ByteBuffer.wrap(kb.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        var parts = new ArrayList<>(RunBreakdown.PARTS);
        parts.addAll(
            List.of(
                "pool borrow + return",
                "SELECT 1",
                "UPDATE 1 KB, synced",
                "UPDATE 1 KB, unsynced",
                "1 KB write + fsync",
                "JSON of the run's record"));
        String[] names = parts.toArray(String[]::new);
        for (String name : names) {
          samples.put(name, new long[n]);
        }
        for (int i = -warmup; i < n; i++) {
          long[] t = new long[names.length];
          long t0 = System.nanoTime();
          timed.reset();
          var result = engine.run(three, Map.of(), RunOptions.defaults());
          long t1 = System.nanoTime();
          if (!result.success()) {
            throw new IllegalStateException("run failed: " + result);
          }
          RunBreakdown.split(timed, t0, t1, t);
          long a = System.nanoTime();
          pool.getConnection().close();
          long b = System.nanoTime();
          t[10] = b - a;
          a = System.nanoTime();
          try (ResultSet rs = select.executeQuery()) {
            rs.next();
          }
          b = System.nanoTime();
          t[11] = b - a;
          synced.setString(1, kb + i);
          a = System.nanoTime();
          synced.executeUpdate();
          b = System.nanoTime();
          t[12] = b - a;
          unsynced.setString(1, kb + i);
          a = System.nanoTime();
          try (ResultSet rs = unsynced.executeQuery()) {
            rs.next();
          }
          b = System.nanoTime();
          t[13] = b - a;
          buf.rewind();
          a = System.nanoTime();
          ch.write(buf, 0);
          ch.force(true);
          b = System.nanoTime();
          t[14] = b - a;
          var record = timed.last();
          a = System.nanoTime();
          Json.mapper().writeValueAsString(record);
          b = System.nanoTime();
          t[15] = b - a;
          if (i >= 0) {
            for (int k = 0; k < names.length; k++) {
              samples.get(names[k])[i] = t[k];
            }
          }
        }
      } finally {
        engine.close();
        // Closed only where the store closes (the code before it built this class too).
        if ((Object) store instanceof AutoCloseable closeable) {
          closeable.close();
        }
        Files.deleteIfExists(file);
      }
    }
    RunBreakdown.print(samples);
  }
}
