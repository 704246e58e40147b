package dev.opsflow.workflow.store;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A minimal connection pool for the tests (a host brings its own, e.g. HikariCP): PostgreSQL's
 * scram-sha-256 handshake costs milliseconds, too slow to pay per store operation. Closing a
 * pooled connection rolls back what is left open and returns it to the pool.
 */
final class TestPool implements DataSource, AutoCloseable {
  private final String url;
  private final String user;
  private final String password;
  private final LinkedBlockingQueue<Connection> idle = new LinkedBlockingQueue<>();

  TestPool(String url, String user, String password) {
    this.url = url;
    this.user = user;
    this.password = password;
  }

  /** The JDBC URL the pool connects to. */
  String url() {
    return url;
  }

  @Override
  public Connection getConnection() throws SQLException {
    Connection physical = idle.poll();
    if (physical == null) {
      physical = DriverManager.getConnection(url, user, password);
    }
    Connection real = physical;
    boolean[] closed = {false};
    return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {Connection.class}, (proxy, method, args) -> {
          if (method.getName().equals("close")) {
            if (!closed[0]) {
              closed[0] = true;
              if (!real.getAutoCommit()) {
                real.rollback();
                real.setAutoCommit(true);
              }
              idle.add(real);
            }
            return null;
          }
          if (method.getName().equals("isClosed")) {
            return closed[0];
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  @Override
  public Connection getConnection(String u, String p) throws SQLException {
    return getConnection();
  }

  @Override
  public void close() {
    Connection c;
    while ((c = idle.poll()) != null) {
      try {
        c.close();
      } catch (SQLException e) {
        // Closing anyway.
      }
    }
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {}

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    throw new SQLException("not a wrapper");
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return false;
  }
}
