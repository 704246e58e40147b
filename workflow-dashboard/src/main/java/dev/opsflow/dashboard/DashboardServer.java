package dev.opsflow.dashboard;

import dev.opsflow.dashboard.internal.Server;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;

/**
 * A running dashboard, from {@link Dashboard.Builder#start()}. Close it to stop listening and end
 * its live streams; runs it started go on in the engine. Thread-safe.
 */
public final class DashboardServer implements AutoCloseable {
  private final Server server;
  private final URI url;
  private final String token;

  DashboardServer(Server server, InetAddress bind, String token) {
    this.server = server;
    this.token = token;
    String host =
        bind.isLoopbackAddress() || bind.isAnyLocalAddress()
            ? "127.0.0.1"
            : bind instanceof Inet6Address
                ? "[" + bind.getHostAddress() + "]"
                : bind.getHostAddress();
    this.url = URI.create("http://" + host + ":" + server.port() + "/");
  }

  /**
   * Where the dashboard answers, such as {@code http://127.0.0.1:8000/}.
   *
   * @return the dashboard's base URL
   */
  public URI url() {
    return url;
  }

  /**
   * The port it listens on.
   *
   * @return the port, as bound (never 0)
   */
  public int port() {
    return server.port();
  }

  /**
   * The token that changing requests need. The host shows it to the operator (the pages ask for it
   * once per browser tab); the dashboard never puts it in a response.
   *
   * @return the token, never logged by the dashboard
   */
  public String token() {
    return token;
  }

  /**
   * The URL that signs a browser tab in: the token rides in the fragment, which the browser never
   * sends to a server; the page keeps it for the tab and takes it off the address bar.
   *
   * @return the sign-in URL, with the token in its fragment
   */
  public URI signInUrl() {
    return URI.create(url + "#token=" + token);
  }

  @Override
  public void close() {
    server.close();
  }
}
