package dev.opsflow.workflow.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A minimal connection pool for the tests and the benchmarks (a host brings its own, e.g.
 * HikariCP): PostgreSQL's scram-sha-256 handshake costs milliseconds, too slow to pay per store
 * operation. Closing a pooled connection rolls back what is left open and returns it to the pool.
 * Thread-safe.
 */
public final class TestPool extends ProxyingDataSource implements AutoCloseable {
  private final String url;
  private final String user;
  private final String password;
  private final LinkedBlockingQueue<Connection> idle = new LinkedBlockingQueue<>();
  private final java.util.Set<Connection> all = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final Semaphore permits;

  /** A pool of at most 8 connections. */
  public TestPool(String url, String user, String password) {
    this(url, user, password, 8);
  }

  /** A pool of at most {@code size} connections; a caller waits for a free one (30 s at most). */
  public TestPool(String url, String user, String password, int size) {
    this.url = url;
    this.user = user;
    this.password = password;
    this.permits = new Semaphore(size);
  }

  /** The JDBC URL the pool connects to. */
  String url() {
    return url;
  }

  @Override
  public Connection getConnection() throws SQLException {
    try {
      if (!permits.tryAcquire(30, TimeUnit.SECONDS)) {
        throw new SQLException("no free connection in the pool after 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted waiting for a connection", e);
    }
    Connection physical = idle.poll();
    if (physical == null) {
      try {
        physical = DriverManager.getConnection(url, user, password);
        all.add(physical);
      } catch (SQLException | RuntimeException e) {
        permits.release();
        throw e;
      }
    }
    Connection real = physical;
    boolean[] closed = {false};
    return proxy(
        real,
        (lent, method, args) -> {
          if (method.equals("close")) {
            if (!closed[0]) {
              closed[0] = true;
              try {
                if (real.isClosed()) {
                  // Lost (its server session ended): a pool drops it, as HikariCP does.
                  all.remove(real);
                  return null;
                }
                if (!real.getAutoCommit()) {
                  real.rollback();
                  real.setAutoCommit(true);
                }
                idle.add(real);
              } catch (SQLException e) {
                real.close();
              } finally {
                permits.release();
              }
            }
            return null;
          }
          if (method.equals("isClosed")) {
            return closed[0];
          }
          return FORWARD;
        });
  }

  @Override
  public Connection getConnection(String u, String p) throws SQLException {
    return getConnection();
  }

  /**
   * Closes every connection, idle or still lent (as a host's pool does at shutdown): a store holds
   * one for the life of its owners' advisory locks.
   */
  @Override
  public void close() {
    idle.clear();
    for (Connection c : all) {
      try {
        c.close();
      } catch (SQLException e) {
        // Closing anyway.
      }
    }
    all.clear();
  }
}
