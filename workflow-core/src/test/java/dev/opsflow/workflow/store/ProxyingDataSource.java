package dev.opsflow.workflow.store;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A test {@link DataSource} whose connections are proxies of real ones: a subclass says which calls
 * it handles itself ({@link #proxy}) and takes connections its own way; the rest of {@code
 * DataSource}, which neither the store nor a test uses, is the same for each (no log writer, no
 * login timeout, not a wrapper).
 */
public abstract class ProxyingDataSource implements DataSource {
  /** What an {@link Interceptor} returns to let a call through to the real connection. */
  protected static final Object FORWARD = new Object();

  /** Sees every call on a proxied connection before the real connection does. */
  @FunctionalInterface
  protected interface Interceptor {
    /**
     * Handles a call, or lets it through.
     *
     * @param proxy the connection the caller holds
     * @param method the name of the method called
     * @param args its arguments ({@code null} for none)
     * @return the call's result, or {@link #FORWARD} to call the real connection (after whatever
     *     this did)
     * @throws Throwable what the call throws
     */
    Object invoke(Connection proxy, String method, Object[] args) throws Throwable;
  }

  /** For subclasses. */
  protected ProxyingDataSource() {}

  /**
   * A connection that calls {@code interceptor} first, then, unless it answered, {@code real}
   * (whose exceptions it throws as they are, not wrapped).
   *
   * @param real the connection calls go to
   * @param interceptor what sees each call first
   * @return the proxy
   */
  protected static Connection proxy(Connection real, Interceptor interceptor) {
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              Object answer = interceptor.invoke((Connection) proxy, method.getName(), args);
              if (answer != FORWARD) {
                return answer;
              }
              try {
                return method.invoke(real, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
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
