package dev.opsflow.hardware.maas.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.opsflow.hardware.maas.MaasStatus;
import dev.opsflow.hardware.testing.RecordedRequest;
import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.Secret;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stateful fake of the MAAS REST API 2.0 on 127.0.0.1, for tests and examples.
 *
 * <p>Machines move New -> Commissioning -> Testing -> Ready -> Allocated -> Deploying -> Deployed
 * (and Releasing -> Ready) over the time of the {@link Clock} it was given: state is computed
 * lazily at each request from the time since the operation started, so a {@code ManualClock} shared
 * with the engine skips minutes of commissioning in microseconds. Every request must carry a valid
 * OAuth 1.0a PLAINTEXT header for {@link #apiKey()} with a nonce never used before (401 otherwise).
 * Errors follow MAAS: 404 unknown machine, 409 wrong state ("not allocated"), 403 a machine owned
 * by another user, 503 no IP addresses left, with plain-text bodies.
 *
 * <p>Faults: {@link #failNext}, {@link #failCommissioning}, {@link #failTesting}, {@link
 * #failDeployment}, {@link #markBroken}, {@link #exhaustIpAddresses}, {@link #assignOwner}. The
 * request log ({@link #requests()}) records method, path, query and body, never the Authorization
 * header. Implemented endpoints: {@code version/}, {@code users/?op=whoami}, {@code machines/}
 * (GET, {@code op=allocate}, {@code op=release}), {@code machines/{id}/} (GET, {@code op=}
 * commission, deploy, release, abort, power_on, power_off, query_power_state), {@code
 * nodes/{id}/interfaces/}, {@code tags/} (GET, POST) and {@code tags/{name}/?op=update_nodes}.
 * Bodies are read as URL-encoded forms. Thread-safe.
 */
public final class MaasSimulator implements AutoCloseable {
  private static final String ROOT = "/MAAS/api/2.0/";

  /** A scripted error answer. */
  private record Fault(int status, String body, Duration retryAfter) {}

  private final Clock clock;
  private final HttpServer server;
  private final ExecutorService executor;
  private final Object lock = new Object();
  private final Map<String, SimulatedMachine> machines = new LinkedHashMap<>();
  private final Map<String, String> tags = new LinkedHashMap<>();
  private final List<RecordedRequest> requests = new ArrayList<>();
  private final Deque<Fault> faults = new ArrayDeque<>();
  private final Set<String> nonces = new HashSet<>();
  private final String consumerKey = "simconsumer";
  private final String tokenKey = "simtoken";
  private final String tokenSecret = "simsecret" + Long.toHexString(System.nanoTime());
  private final String user = "admin";
  private Duration commissioning = Duration.ofMinutes(3);
  private Duration testing = Duration.ofMinutes(2);
  private Duration deploying = Duration.ofMinutes(10);
  private Duration releasing = Duration.ofMinutes(1);
  private boolean ipAddressesExhausted;

  private MaasSimulator(Clock clock) throws IOException {
    this.clock = clock;
    // Without TCP_NODELAY the JDK server's split header/body writes meet delayed ACKs: ~40 ms a
    // request. Read once by the JDK when its first HttpServer starts.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    this.executor =
        Executors.newFixedThreadPool(
            4,
            r -> {
              var t = new Thread(r, "maas-simulator");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/MAAS/", this::handle);
    server.start();
  }

  /** Starts a simulator on a free port whose machines move with the system clock. */
  public static MaasSimulator start() {
    return start(Clock.systemUTC());
  }

  /** Starts a simulator on a free port whose machines move with {@code clock}. */
  public static MaasSimulator start(Clock clock) {
    try {
      return new MaasSimulator(clock);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot start the MAAS simulator", e);
    }
  }

  /** The base URI a {@code MaasClient} takes: {@code http://127.0.0.1:PORT/MAAS}. */
  public String baseUri() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/MAAS";
  }

  /** The API key ({@code consumer:token:secret}) the simulator accepts. */
  public Secret apiKey() {
    return Secret.of(consumerKey + ":" + tokenKey + ":" + tokenSecret);
  }

  /**
   * Sets how long commissioning, testing, deploying and releasing take (defaults 3, 2, 10, 1 min).
   */
  public MaasSimulator withTimings(
      Duration commission, Duration test, Duration deploy, Duration release) {
    synchronized (lock) {
      this.commissioning = commission;
      this.testing = test;
      this.deploying = deploy;
      this.releasing = release;
    }
    return this;
  }

  /** Adds a machine in status New; returns its system id. */
  public String addMachine(String hostname) {
    synchronized (lock) {
      int index = machines.size() + 1;
      String id = "sim" + Integer.toString(1000 + index, 36);
      machines.put(id, new SimulatedMachine(id, hostname, index));
      return id;
    }
  }

  /** Adds a machine already in status Ready; returns its system id. */
  public String addReadyMachine(String hostname) {
    String id = addMachine(hostname);
    synchronized (lock) {
      machines.get(id).status = MaasStatus.READY;
    }
    return id;
  }

  /** The machine's current status (after advancing it to now). */
  public MaasStatus status(String systemId) {
    synchronized (lock) {
      SimulatedMachine m = machines.get(systemId);
      m.advance(clock.instant());
      return m.status;
    }
  }

  /** Commissioning of this machine will end in Failed commissioning with {@code message}. */
  public void failCommissioning(String systemId, String message) {
    synchronized (lock) {
      machines.get(systemId).failCommissioning = message;
    }
  }

  /** Testing of this machine will end in Failed testing with {@code message}. */
  public void failTesting(String systemId, String message) {
    synchronized (lock) {
      machines.get(systemId).failTesting = message;
    }
  }

  /** Deployment of this machine will end in Failed deployment with {@code message}. */
  public void failDeployment(String systemId, String message) {
    synchronized (lock) {
      machines.get(systemId).failDeployment = message;
    }
  }

  /** Marks the machine Broken now, stopping whatever it was doing. */
  public void markBroken(String systemId, String message) {
    synchronized (lock) {
      SimulatedMachine m = machines.get(systemId);
      m.stop();
      m.start(clock.instant(), MaasStatus.BROKEN, message);
    }
  }

  /** Makes the machine Allocated to another user (deploying it then answers 403). */
  public void assignOwner(String systemId, String owner) {
    synchronized (lock) {
      SimulatedMachine m = machines.get(systemId);
      m.status = MaasStatus.ALLOCATED;
      m.owner = owner;
    }
  }

  /**
   * Gives the machine an address MAAS observes for it (a DHCP lease, shown in {@code
   * ip_addresses}): now, and again when it is commissioned, until it is deployed or released.
   */
  public void assignIpAddress(String systemId, String address) {
    synchronized (lock) {
      SimulatedMachine m = machines.get(systemId);
      m.observedAddress = address;
      if (!m.ipAddresses.contains(address)) {
        m.ipAddresses.add(address);
      }
    }
  }

  /** While set, deploying answers 503 "No IP addresses available". */
  public void exhaustIpAddresses(boolean exhausted) {
    synchronized (lock) {
      this.ipAddressesExhausted = exhausted;
    }
  }

  /**
   * The next {@code count} authenticated requests answer {@code status} with a plain-text body (and
   * a Retry-After header when {@code retryAfter} is not null).
   */
  public void failNext(int count, int status, Duration retryAfter) {
    synchronized (lock) {
      for (int i = 0; i < count; i++) {
        faults.add(new Fault(status, "Simulated failure " + status, retryAfter));
      }
    }
  }

  /** Every request received so far, oldest first. */
  public List<RecordedRequest> requests() {
    synchronized (lock) {
      return List.copyOf(requests);
    }
  }

  /** Stops the server. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      String query = exchange.getRequestURI().getRawQuery();
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Answer answer;
      synchronized (lock) {
        requests.add(new RecordedRequest(method, path, query, body, Map.of()));
        answer = answer(exchange, method, path, query == null ? "" : query, body);
      }
      byte[] bytes = answer.body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", answer.contentType);
      answer.headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
      exchange.sendResponseHeaders(answer.status, bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        exchange.getResponseBody().write(bytes);
      }
    }
  }

  record Answer(int status, String contentType, String body, Map<String, String> headers) {
    static Answer json(Object value) {
      return new Answer(200, "application/json", Json.mapper().writeValueAsString(value), Map.of());
    }

    static Answer text(int status, String text) {
      return new Answer(status, "text/plain; charset=utf-8", text, Map.of());
    }
  }

  private Answer answer(
      HttpExchange exchange, String method, String path, String query, String body) {
    String authError = checkAuth(exchange.getRequestHeaders().getFirst("Authorization"));
    if (authError != null) {
      return Answer.text(401, "Authorization Error: " + authError);
    }
    Fault fault = faults.poll();
    if (fault != null) {
      Map<String, String> headers =
          fault.retryAfter() == null
              ? Map.of()
              : Map.of("Retry-After", String.valueOf(fault.retryAfter().toSeconds()));
      return new Answer(fault.status(), "text/plain", fault.body(), headers);
    }
    if (!path.startsWith(ROOT)) {
      return Answer.text(404, "Not Found");
    }
    String rest = path.substring(ROOT.length());
    Map<String, List<String>> form = parseForm(body);
    String op = parseForm(query).getOrDefault("op", List.of("")).get(0);
    machines.values().forEach(m -> m.advance(clock.instant()));
    return MaasRoutes.route(this, method, rest, op, form);
  }

  // Package-private accessors for MaasRoutes, all called under the lock.

  Map<String, SimulatedMachine> machines() {
    return machines;
  }

  Map<String, String> tags() {
    return tags;
  }

  String user() {
    return user;
  }

  Clock clock() {
    return clock;
  }

  Duration[] timings() {
    return new Duration[] {commissioning, testing, deploying, releasing};
  }

  boolean ipAddressesExhausted() {
    return ipAddressesExhausted;
  }

  static Answer json(Object value) {
    return Answer.json(value);
  }

  static Answer text(int status, String text) {
    return Answer.text(status, text);
  }

  /** Why the header is refused, or null when it is a valid PLAINTEXT signature. */
  private String checkAuth(String header) {
    if (header == null || !header.startsWith("OAuth ")) {
      return "no OAuth Authorization header";
    }
    var params = new LinkedHashMap<String, String>();
    Matcher m = Pattern.compile("(\\w+)=\"([^\"]*)\"").matcher(header);
    while (m.find()) {
      params.put(m.group(1), URLDecoder.decode(m.group(2), StandardCharsets.UTF_8));
    }
    if (!"PLAINTEXT".equals(params.get("oauth_signature_method"))) {
      return "oauth_signature_method must be PLAINTEXT";
    }
    if (!consumerKey.equals(params.get("oauth_consumer_key"))
        || !tokenKey.equals(params.get("oauth_token"))
        || !("&" + tokenSecret).equals(params.get("oauth_signature"))) {
      return "Invalid access token";
    }
    String nonce = params.get("oauth_nonce");
    String timestamp = params.get("oauth_timestamp");
    if (nonce == null || nonce.isEmpty() || timestamp == null || !timestamp.matches("\\d+")) {
      return "oauth_nonce and oauth_timestamp are required";
    }
    if (!nonces.add(nonce)) {
      return "Nonce already used: " + nonce;
    }
    return null;
  }

  static Map<String, List<String>> parseForm(String encoded) {
    var form = new LinkedHashMap<String, List<String>>();
    if (encoded == null || encoded.isEmpty()) {
      return form;
    }
    for (String pair : encoded.split("&")) {
      int eq = pair.indexOf('=');
      String name =
          URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      form.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return form;
  }
}
