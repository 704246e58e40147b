package dev.opsflow.workflow.store;

import dev.opsflow.workflow.peers.PostgresPeer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * Databases for the JDBC store tests: a fresh in-memory H2 database, or a fresh database on one
 * throwaway PostgreSQL server per test JVM (started on first use, stopped at JVM exit; skipped with
 * a clear message when PostgreSQL is not installed, unless OPSFLOW_REQUIRE_PEERS=1).
 */
final class TestDatabases {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static PostgresPeer postgres;

  private TestDatabases() {}

  /** A fresh in-memory H2 database (row locks wait up to 10 s, like a server would). */
  static DataSource h2() {
    var ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:opsflow-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
    return ds;
  }

  /** The shared PostgreSQL server, started on first use. */
  static synchronized PostgresPeer postgresServer() {
    if (postgres == null) {
      PostgresPeer peer = PostgresPeer.start();
      Runtime.getRuntime().addShutdownHook(new Thread(peer::close, "stop-test-postgres"));
      postgres = peer;
    }
    return postgres;
  }

  /** A pool on a fresh, empty database of the shared PostgreSQL server. */
  static TestPool postgres() {
    PostgresPeer peer = postgresServer();
    String name = "opsflow_" + COUNTER.incrementAndGet();
    try (var admin = new TestPool(peer.jdbcUrl("postgres"), peer.user(), peer.password());
        Connection c = admin.getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database " + name, e);
    }
    return new TestPool(peer.jdbcUrl(name), peer.user(), peer.password());
  }
}
