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
 * opsflow.bench.jdbc.url} and {@code opsflow.bench.jdbc.user} (default {@code postgres}), with the
 * password in the environment, {@code OPSFLOW_BENCH_JDBC_PASSWORD} (empty when unset), never on a
 * command line where a process listing would show it, as the peer drivers take it
 * (docs/performance.md shows how to start a throwaway server).
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
    return new TestPool(url(), user(), password(), size);
  }

  /** {@return the configured PostgreSQL database's JDBC URL} */
  static String url() {
    String url = System.getProperty("opsflow.bench.jdbc.url");
    if (url == null) {
      throw new IllegalStateException(
          "the PostgreSQL benchmarks need a server: pass "
              + "-Dopsflow.bench.jdbc.url=jdbc:postgresql://127.0.0.1:PORT/DB "
              + "[-Dopsflow.bench.jdbc.user=...] and the password, if any, in "
              + "OPSFLOW_BENCH_JDBC_PASSWORD (see docs/performance.md, section Stores)");
    }
    return url;
  }

  /** {@return the configured PostgreSQL user} */
  static String user() {
    return System.getProperty("opsflow.bench.jdbc.user", "postgres");
  }

  /** {@return the configured PostgreSQL password, from the environment only} */
  static String password() {
    return java.util.Objects.requireNonNullElse(System.getenv("OPSFLOW_BENCH_JDBC_PASSWORD"), "");
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
