package dev.opsflow.dashboard.internal;

import com.sun.net.httpserver.HttpServer;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The dashboard's HTTP server: the JDK's {@link HttpServer} with the API, the live streams and the
 * pages, on a pool of daemon threads. Not part of the stable API: use {@code
 * dev.opsflow.dashboard.Dashboard}.
 */
public final class Server implements AutoCloseable {
  private static final String NODELAY = "sun.net.httpserver.nodelay";
  private final HttpServer http;
  private final ExecutorService threads;
  private final EventStreams streams;

  private Server(HttpServer http, ExecutorService threads, EventStreams streams) {
    this.http = http;
    this.threads = threads;
    this.streams = streams;
  }

  /**
   * Starts a server on {@code bind}:{@code port} (0: a free port).
   *
   * @throws UncheckedIOException if the address cannot be bound
   */
  public static Server start(
      WorkflowEngine engine,
      WorkflowRegistry registry,
      InetAddress bind,
      int port,
      String token,
      Duration refresh) {
    // The JDK's server writes a response's headers and body in two segments; with Nagle's
    // algorithm on, the body waits for the client's delayed ACK of the headers (40 ms a request
    // on Linux). Read once, when the JVM's first HttpServer starts; a host's own setting stands.
    if (System.getProperty(NODELAY) == null) {
      System.setProperty(NODELAY, "true");
    }
    HttpServer http;
    try {
      http = HttpServer.create(new InetSocketAddress(bind, port), 64);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "the dashboard cannot listen on " + bind.getHostAddress() + ":" + port + ": " + e, e);
    }
    var counter = new AtomicInteger();
    ExecutorService threads =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "opsflow-dashboard-" + counter.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    var router = new Router(new Guard(token, bind, http.getAddress().getPort()));
    var runs = new RunRoutes(engine, registry);
    var batches = new BatchRoutes(engine, runs, new Batches());
    var streams = new EventStreams(runs, batches, refresh);
    runs.register(router);
    batches.register(router);
    streams.register(router);
    new Assets().register(router);
    http.createContext("/", router);
    http.setExecutor(threads);
    http.start();
    return new Server(http, threads, streams);
  }

  /** The port it listens on. */
  public int port() {
    return http.getAddress().getPort();
  }

  /** Stops listening, ends the live streams and the server's threads. */
  @Override
  public void close() {
    streams.close();
    http.stop(0);
    threads.shutdownNow();
  }
}
