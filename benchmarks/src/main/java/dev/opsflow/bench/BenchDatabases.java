package dev.opsflow.bench;

import dev.opsflow.workflow.store.TestPool;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * Databases of the store benchmarks. PostgreSQL is the server named by the system properties {@code
 * opsflow.bench.jdbc.url}, {@code opsflow.bench.jdbc.user} and {@code opsflow.bench.jdbc.password}
 * (docs/performance.md shows how to start a throwaway one).
 */
final class BenchDatabases {
  private BenchDatabases() {}

  /** A fresh in-memory H2 database. */
  static DataSource h2() {
    var ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:bench-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
    return ds;
  }

  /** A pool of {@code size} connections on the configured PostgreSQL database. */
  static TestPool postgres(int size) {
    String url = System.getProperty("opsflow.bench.jdbc.url");
    if (url == null) {
      throw new IllegalStateException(
          "the PostgreSQL benchmarks need a server: pass "
              + "-Dopsflow.bench.jdbc.url=jdbc:postgresql://127.0.0.1:PORT/DB "
              + "-Dopsflow.bench.jdbc.user=... -Dopsflow.bench.jdbc.password=... "
              + "(see docs/performance.md, section Stores)");
    }
    return new TestPool(
        url,
        System.getProperty("opsflow.bench.jdbc.user", "postgres"),
        System.getProperty("opsflow.bench.jdbc.password", ""),
        size);
  }

  /** Empties the store's tables, if they exist (CASCADE: the cancel requests refer to the runs). */
  static void truncateStoreTables(DataSource ds) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute("TRUNCATE TABLE opsflow_run_events, opsflow_idempotency, opsflow_runs CASCADE");
    } catch (SQLException e) {
      if (!"42P01".equals(e.getSQLState())) {
        throw e;
      }
    }
  }
}
