package dev.opsflow.redis.cloud.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.opsflow.redis.cloud.client.RedisCloudClient;
import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.http.TlsContexts;
import dev.opsflow.workflow.http.TlsTrust;
import dev.opsflow.workflow.testing.InFlightRequests;
import dev.opsflow.workflow.testing.SelfSignedCertificate;
import dev.opsflow.workflow.testing.SimulatorHttp;
import dev.opsflow.workflow.testing.SimulatorStateFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * A stateful fake of the Redis Cloud API on 127.0.0.1, for tests and demos: the task model
 * (initialized, received, processing-in-progress, processing-completed or processing-error), one
 * task at a time per account, subscriptions and databases that stay {@code pending} after their
 * task and go {@code active} later, a subscription that is {@code pending} again while a database
 * is created in it, the API's validation errors with their real codes, API keys enforced (401), a
 * rate limit answering 429 with {@code x-rate-limit-retry-after-seconds}, and {@link
 * SimulatorFaults fault injection}. Databases listen on real redis-servers when available (see
 * {@link dev.opsflow.workflow.testing.RedisEndpoints}); a database created with {@code enableTls}
 * (or updated to it) serves RESP over TLS with a self-signed certificate, {@link
 * #certificatePem()}.
 *
 * <p>The API is served over HTTPS, as the real one is, with the JVM's self-signed certificate
 * ({@link #certificatePem()}; {@link #clientBuilder()} and {@link #clientSslContext()} trust it, so
 * TLS stays verified); plain HTTP only when asked for ({@link Transport#PLAIN_HTTP}, logged).
 *
 * <p>Time is the given {@link Clock}: pass the engine's {@code ManualClock} and a 30-minute
 * provisioning passes as soon as the workflow sleeps. State advances lazily at each request.
 *
 * <pre>{@code
 * try (var sim = RedisCloudSimulator.start(clock)) {
 *   RedisCloudClient client = sim.clientBuilder().clock(clock).sleeper(clock).build();
 *   ...
 *   assertThat(sim.requests()).filteredOn(RecordedRequest::isMutating).isEmpty();
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class RedisCloudSimulator implements AutoCloseable {
  static {
    // The JDK server's small writes otherwise meet the client's delayed ACK: 40 ms a request.
    // Read once, when the JDK server first loads; a value the host set is kept.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  /** How the API is served. */
  public enum Transport {
    /** HTTPS with the simulator's self-signed certificate (the default, as the real API). */
    HTTPS,
    /** Plain HTTP: only for a client that cannot do TLS; the real API never offers it. */
    PLAIN_HTTP
  }

  private final HttpServer server;
  private final InFlightRequests inFlight = new InFlightRequests();
  private final Transport transport;
  private final ExecutorService executor;
  private final Clock clock;
  private final SimulatorSettings settings;
  private final SimulatorFaults faults = new SimulatorFaults();
  private final CloudState state;
  private final CloudApi api;
  private final List<RecordedRequest> log = new CopyOnWriteArrayList<>();
  private final Deque<Instant> window = new ArrayDeque<>();
  private volatile int requestsPerMinute;
  private final SimulatorStateFile stateFile;

  private RedisCloudSimulator(
      Clock clock, SimulatorSettings settings, int port, Path stateDirectory, Transport transport)
      throws IOException {
    this.clock = clock;
    this.transport = transport;
    this.settings = settings;
    this.requestsPerMinute = settings.requestsPerMinute();
    this.state = new CloudState(clock, settings, faults);
    this.api = new CloudApi(state);
    this.stateFile =
        stateDirectory == null ? null : SimulatorStateFile.in(stateDirectory, "redis-cloud");
    if (stateFile != null) {
      synchronized (state) {
        stateFile.read().ifPresent(saved -> CloudPersistence.restore(saved, state));
      }
    }
    var address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    if (transport == Transport.HTTPS) {
      var https = HttpsServer.create(address, 50);
      https.setHttpsConfigurator(
          new HttpsConfigurator(SelfSignedCertificate.shared().serverContext()));
      this.server = https;
    } else {
      LoggerFactory.getLogger(RedisCloudSimulator.class)
          .warn(
              "Redis Cloud simulator serves plain HTTP, as asked: the real API is HTTPS only, and"
                  + " the API keys travel unencrypted");
      this.server = HttpServer.create(address, 50);
    }
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "redis-cloud-sim");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/v1", this::serve).getFilters().add(inFlight);
    server.start();
  }

  /** {@return a simulator on the system clock with the default settings} */
  public static RedisCloudSimulator start() {
    return start(Clock.systemUTC());
  }

  /**
   * A simulator on {@code clock} with the default settings.
   *
   * @param clock the clock the simulator's tasks and provisioning read
   * @return the simulator, listening; close it when done
   */
  public static RedisCloudSimulator start(Clock clock) {
    return start(clock, SimulatorSettings.defaults());
  }

  /**
   * A simulator on {@code clock} with {@code settings}.
   *
   * @param clock the clock the simulator's tasks and provisioning read
   * @param settings the keys, durations, rate limit and endpoints
   * @return the simulator, listening; close it when done
   * @throws UncheckedIOException if no loopback port can be bound
   */
  public static RedisCloudSimulator start(Clock clock, SimulatorSettings settings) {
    return start(clock, settings, 0, null);
  }

  /**
   * A simulator on {@code clock} with {@code settings}, listening on {@code port} (0: any free
   * one). With a {@code stateDirectory} (null: none) the account (subscriptions, databases and
   * their endpoints' ports, peerings, tasks) is written there after every request that changed it
   * and read back at start, so a restarted simulator serves the same account.
   *
   * @param clock the clock the simulator's tasks and provisioning read
   * @param settings the keys, durations, rate limit and endpoints
   * @param port the port, or 0 for a free one
   * @param stateDirectory where the account persists, or null for none
   * @return the simulator, listening; close it when done
   * @throws UncheckedIOException if the port cannot be bound or the state cannot be read
   */
  public static RedisCloudSimulator start(
      Clock clock, SimulatorSettings settings, int port, Path stateDirectory) {
    return start(clock, settings, port, stateDirectory, Transport.HTTPS);
  }

  /**
   * As {@link #start(Clock, SimulatorSettings, int, Path)}, served over {@code transport}.
   *
   * @param clock the clock the simulator's tasks and provisioning read
   * @param settings the keys, durations, rate limit and endpoints
   * @param port the port, 1 to 65535, or 0 for a free one
   * @param stateDirectory where the account persists, or null for none
   * @param transport HTTPS (as the real API) or plain HTTP; not null
   * @return the simulator, listening; close it when done
   * @throws IllegalArgumentException if the port is not 0 to 65535
   * @throws NullPointerException if {@code transport} is null
   * @throws UncheckedIOException if the port cannot be bound or the state cannot be read
   */
  public static RedisCloudSimulator start(
      Clock clock, SimulatorSettings settings, int port, Path stateDirectory, Transport transport) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0 to 65535, was " + port);
    }
    java.util.Objects.requireNonNull(transport, "transport must not be null");
    try {
      return new RedisCloudSimulator(clock, settings, port, stateDirectory, transport);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@return {@code https://127.0.0.1:port/v1} ({@code http://} with {@link Transport#PLAIN_HTTP})}
   */
  public String baseUri() {
    return (transport == Transport.HTTPS ? "https" : "http")
        + "://127.0.0.1:"
        + server.getAddress().getPort()
        + "/v1";
  }

  /** {@return how the API is served: HTTPS, or plain HTTP when asked for} */
  public Transport transport() {
    return transport;
  }

  /**
   * A TLS context that trusts the simulators' certificate ({@link #certificatePem()}) and nothing
   * else: for a JDK {@code HttpClient} or another Java client of the API or of TLS databases.
   *
   * @return a TLS context trusting only the simulators' certificate
   */
  public static SSLContext clientSslContext() {
    return TlsContexts.sslContext(TlsTrust.pem(SelfSignedCertificate.shared().pem()));
  }

  /** {@return the account key it accepts} */
  public Secret apiKey() {
    return Secret.of(settings.apiKey());
  }

  /** {@return the user key it accepts} */
  public Secret secretKey() {
    return Secret.of(settings.secretKey());
  }

  /**
   * {@return a client builder pointed at this simulator with its keys, trusting its certificate
   * (TLS stays verified); add the clock and sleeper}
   */
  public RedisCloudClient.Builder clientBuilder() {
    String pem = certificatePem();
    return RedisCloudClient.builder(apiKey(), secretKey())
        .baseUri(baseUri())
        .httpSettings(s -> s.withTrustedPem(pem));
  }

  /**
   * {@return the certificate, in PEM, that the API and the endpoints of databases with {@code
   * enableTls} present (a self-signed one naming {@code 127.0.0.1} and {@code localhost}): what a
   * client trusts, as with {@code TlsTrust.pem(sim.certificatePem())}} Generated once per JVM.
   */
  public String certificatePem() {
    return SelfSignedCertificate.shared().pem();
  }

  /** {@return the faults to inject} */
  public SimulatorFaults faults() {
    return faults;
  }

  /**
   * Changes the rate limit (requests per minute per key; 0: none).
   *
   * @param perMinute the requests a minute per key, or 0 for no limit
   */
  public void rateLimit(int perMinute) {
    this.requestsPerMinute = perMinute;
  }

  /**
   * {@return the requests this simulator serves at once: their count now and at its peak, and a
   * stall that holds them (see {@link InFlightRequests})}
   */
  public InFlightRequests inFlight() {
    return inFlight;
  }

  /** {@return every request received, in order} */
  public List<RecordedRequest> requests() {
    return List.copyOf(log);
  }

  /**
   * The requests with this method whose path starts with {@code pathPrefix}.
   *
   * @param method the HTTP method
   * @param pathPrefix the start of the paths
   * @return those requests, oldest first
   */
  public List<RecordedRequest> requests(String method, String pathPrefix) {
    return log.stream()
        .filter(r -> r.method().equals(method) && r.path().startsWith(pathPrefix))
        .toList();
  }

  /** Forgets the requests received so far. */
  public void clearRequests() {
    log.clear();
  }

  /** {@return the names of the Pro and Essentials subscriptions that exist now} */
  public List<String> subscriptionNames() {
    synchronized (state) {
      state.advance();
      return state.subscriptions.values().stream().map(s -> s.name).toList();
    }
  }

  /** {@return the names of the databases that exist now, across subscriptions} */
  public List<String> databaseNames() {
    synchronized (state) {
      state.advance();
      var names = new ArrayList<String>();
      state
          .subscriptions
          .values()
          .forEach(s -> s.databases.values().forEach(d -> names.add(d.name)));
      return names;
    }
  }

  /** Stops the server and every database endpoint. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    synchronized (state) {
      state.closeAll();
    }
  }

  private void serve(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath().substring("/v1".length());
    String query = exchange.getRequestURI().getRawQuery();
    byte[] raw = exchange.getRequestBody().readAllBytes();
    Instant at = clock.instant();
    JsonNode body = null;
    SimResponse response;
    try {
      body = raw.length == 0 ? null : Json.mapper().readTree(raw);
      response = answer(exchange, method, path, query, body, at);
    } catch (RuntimeException e) {
      response =
          SimResponse.error(
              body == null && raw.length > 0 ? 400 : 500,
              body == null && raw.length > 0 ? "BAD_REQUEST" : "GENERAL_ERROR",
              e.toString());
    }
    log.add(
        new RecordedRequest(
            method,
            path.isEmpty() ? "/" : path,
            query,
            CloudReplicas.redacted(body),
            at,
            response == null ? 0 : response.status()));
    saveState();
    if (response == null) {
      exchange.close();
      return;
    }
    Duration latency = faults.latency();
    if (!latency.isZero()) {
      try {
        Thread.sleep(latency.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    byte[] out =
        response.body() == null ? new byte[0] : Json.mapper().writeValueAsBytes(response.body());
    SimulatorHttp.send(exchange, response.status(), "application/json", out);
    exchange.close();
  }

  /** Writes the account to the state directory, if there is one. */
  private void saveState() {
    if (stateFile != null) {
      synchronized (state) {
        state.advance();
        stateFile.write(CloudPersistence.snapshot(state));
      }
    }
  }

  /** The answer, or null to drop the connection. */
  private SimResponse answer(
      HttpExchange exchange, String method, String path, String query, JsonNode body, Instant at) {
    if (faults.takeDrop()) {
      return null;
    }
    if (!authorized(exchange)) {
      return SimResponse.error(401, "UNAUTHORIZED", "Authentication failed for requested resource");
    }
    Duration throttle = faults.takeThrottle();
    if (throttle == null) {
      throttle = overLimit(at);
    }
    if (throttle != null) {
      long seconds = Math.max(1, (throttle.toMillis() + 999) / 1000);
      exchange.getResponseHeaders().set("x-rate-limit-retry-after-seconds", Long.toString(seconds));
      return new SimResponse(
          429, CloudState.F.objectNode().put("error", "You have exhausted your API Request Quota"));
    }
    int failure = faults.takeError();
    if (failure != 0) {
      return SimResponse.error(failure, "GENERAL_ERROR", "injected failure " + failure);
    }
    // HEAD is a GET without content (RFC 9110 9.3.2); SimulatorHttp leaves the content out.
    return api.handle(method.equals("HEAD") ? "GET" : method, path, query, body);
  }

  private boolean authorized(HttpExchange exchange) {
    return same(exchange.getRequestHeaders().getFirst("x-api-key"), settings.apiKey())
        && same(exchange.getRequestHeaders().getFirst("x-api-secret-key"), settings.secretKey());
  }

  private static boolean same(String given, String expected) {
    return given != null
        && MessageDigest.isEqual(
            given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
  }

  /** How long until the key may send again, or null when under the limit. */
  private synchronized Duration overLimit(Instant at) {
    int limit = requestsPerMinute;
    if (limit <= 0) {
      return null;
    }
    Instant from = at.minus(Duration.ofMinutes(1));
    while (!window.isEmpty() && !window.peekFirst().isAfter(from)) {
      window.pollFirst();
    }
    if (window.size() >= limit) {
      return Duration.between(from, window.peekFirst());
    }
    window.addLast(at);
    return null;
  }
}
