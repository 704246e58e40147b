package dev.opsflow.dashboard;

import dev.opsflow.dashboard.internal.Server;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;

/**
 * An embeddable web dashboard and HTTP API over an engine's store: the active runs with their live
 * progress, each run's steps, outputs and journal, the history, a start form per workflow of the
 * registry, batches, cancel and resume. It shows the runs of every engine that shares the store
 * (file or JDBC); it starts, cancels and resumes runs in its own engine.
 *
 * <pre>{@code
 * try (DashboardServer dashboard = Dashboard.builder(engine, registry).port(8000).start()) {
 *   System.out.println("Dashboard: " + dashboard.url() + " (token " + dashboard.token() + ")");
 *   ...
 * }
 * }</pre>
 *
 * <p>It listens on 127.0.0.1 unless told otherwise; every request that changes anything needs the
 * token ({@code Authorization: Bearer <token>}); without one configured, a random token is made
 * (see {@link DashboardServer#token()}). The API and its security are described in {@code
 * docs/dashboard.md}.
 */
public final class Dashboard {
  private Dashboard() {}

  /**
   * A builder for a dashboard over {@code engine}, offering the workflows of {@code registry}.
   *
   * @param engine the engine whose runs and store the dashboard shows and whose runs it starts
   * @param registry the workflows an operator may start from the dashboard
   * @return a builder with the defaults
   */
  public static Builder builder(WorkflowEngine engine, WorkflowRegistry registry) {
    return new Builder(
        Objects.requireNonNull(engine, "engine must not be null"),
        Objects.requireNonNull(registry, "registry must not be null"));
  }

  /** Builds and starts a dashboard. Not thread-safe. */
  public static final class Builder {
    private static final int MIN_TOKEN = 16;

    private final WorkflowEngine engine;
    private final WorkflowRegistry registry;
    private int port = 8000;
    private InetAddress bind = InetAddress.getLoopbackAddress();
    private String token;
    private Duration refresh = Duration.ofMillis(250);

    private Builder(WorkflowEngine engine, WorkflowRegistry registry) {
      this.engine = engine;
      this.registry = registry;
    }

    /**
     * The port (default 8000; 0 picks a free one).
     *
     * @param p the port, or 0 for a free one
     * @return this builder
     */
    public Builder port(int p) {
      if (p < 0 || p > 65535) {
        throw new IllegalArgumentException("port must be between 0 and 65535, was " + p);
      }
      this.port = p;
      return this;
    }

    /**
     * The address to listen on (default 127.0.0.1). Another address exposes the dashboard to the
     * network: put it behind TLS (a reverse proxy), since the token travels in a header.
     *
     * @param address a literal IP address or a host name of this machine
     * @return this builder
     * @throws IllegalArgumentException if the address cannot be resolved
     */
    public Builder bindAddress(String address) {
      Objects.requireNonNull(address, "bindAddress must not be null");
      try {
        this.bind = InetAddress.getByName(address);
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException(
            "bindAddress '" + address + "' is not an address of this machine", e);
      }
      return this;
    }

    /**
     * The token every changing request must carry (at least {@value #MIN_TOKEN} characters;
     * default: a random one).
     *
     * @param value the token, at least {@value #MIN_TOKEN} characters
     * @return this builder
     */
    public Builder token(String value) {
      if (value == null || value.strip().length() < MIN_TOKEN) {
        throw new IllegalArgumentException(
            "token must be at least " + MIN_TOKEN + " characters (not shown)");
      }
      this.token = value.strip();
      return this;
    }

    /**
     * How often live views look for changes (default 250 ms).
     *
     * @param interval how long a live view waits between two looks
     * @return this builder
     */
    public Builder refreshInterval(Duration interval) {
      if (interval == null || interval.toMillis() < 10 || interval.toMillis() > 60_000) {
        throw new IllegalArgumentException(
            "refreshInterval must be between 10 ms and 60 s, was " + interval);
      }
      this.refresh = interval;
      return this;
    }

    /**
     * Starts listening.
     *
     * @return the running server; close it to stop
     * @throws java.io.UncheckedIOException if the address or port cannot be bound
     */
    public DashboardServer start() {
      String t = token != null ? token : randomToken();
      Server server = Server.start(engine, registry, bind, port, t, refresh);
      return new DashboardServer(server, bind, t);
    }

    private static String randomToken() {
      byte[] bytes = new byte[24];
      new SecureRandom().nextBytes(bytes);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
  }
}
