package dev.opsflow.hardware.maas.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.opsflow.hardware.maas.MaasStatus;
import dev.opsflow.hardware.testing.RecordedRequest;
import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.testing.InFlightRequests;
import dev.opsflow.workflow.testing.SimulatorHttp;
import dev.opsflow.workflow.testing.SimulatorStateFile;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A stateful fake of the MAAS REST API 2.0 on 127.0.0.1, for tests, examples and other people's
 * MAAS clients.
 *
 * <p>Machines move New -> Commissioning -> Testing -> Ready -> Allocated -> Deploying -> Deployed
 * (and Releasing -> Ready) over the time of the {@link Clock} it was given: state is computed
 * lazily at each request from the time since the operation started, so a {@code ManualClock} shared
 * with the engine skips minutes of commissioning in microseconds. Every request but {@code
 * version/} and {@code describe/} (anonymous, as in MAAS) must carry a valid OAuth 1.0a PLAINTEXT
 * header for {@link #apiKey()} with a nonce never used before (401 otherwise). Objects carry every
 * field MAAS 3.x renders ({@link MaasJson}); errors follow MAAS: 404 unknown object, 409 wrong
 * state, 403 a machine owned by another user, 503 no IP addresses left, 400 with a JSON map of
 * field errors for a bad form.
 *
 * <p>Endpoints: {@code version/}, {@code describe/}, {@code users/} ({@code op=whoami}), {@code
 * machines/} (GET with the filters {@code id}, {@code hostname}, {@code mac_address}, {@code
 * domain}, {@code zone}, {@code pool}, {@code status}, {@code arch}, {@code tags}; POST to create;
 * {@code op=allocate}, {@code op=release}, {@code op=power_parameters}), {@code machines/{id}/}
 * (GET, PUT, DELETE; {@code op=} commission, deploy, release, abort, power_on, power_off,
 * query_power_state, power_parameters, details, mark_broken, mark_fixed, lock, unlock), {@code
 * nodes/{id}/interfaces/}, {@code nodes/{id}/blockdevices/}, {@code zones/}, {@code
 * resourcepools/}, {@code domains/}, {@code fabrics/}, {@code vlans}, {@code subnets/}, {@code
 * spaces/}, {@code devices/}, {@code tags/}. Bodies are URL-encoded forms.
 *
 * <p>Faults: {@link #failNext}, {@link #failCommissioning}, {@link #failTesting}, {@link
 * #failDeployment}, {@link #markBroken}, {@link #exhaustIpAddresses}, {@link #assignOwner}. The
 * request log ({@link #requests()}) records method, path, query and body, never the Authorization
 * header. With a state directory ({@link #start(Clock, int, Path)}) the rack survives a restart.
 * Thread-safe.
 */
public final class MaasSimulator implements AutoCloseable {
  private static final String ROOT = MaasJson.ROOT;

  /** A scripted error answer. */
  private record Fault(int status, String body, Duration retryAfter) {}

  private final Clock clock;
  private final HttpServer server;
  private final InFlightRequests inFlight = new InFlightRequests();
  private final ExecutorService executor;
  private final Object lock = new Object();
  final Map<String, SimulatedMachine> machines = new LinkedHashMap<>();
  final Map<String, String> tags = new LinkedHashMap<>();
  final Map<String, String> zones = new LinkedHashMap<>(Map.of("default", ""));
  final Map<Integer, String[]> pools = new LinkedHashMap<>();
  final Map<String, Map<String, Object>> devices = new LinkedHashMap<>();
  private final List<RecordedRequest> requests = new ArrayList<>();
  private final Deque<Fault> faults = new ArrayDeque<>();
  private final Set<String> nonces = new HashSet<>();
  private final String consumerKey = "simconsumer";
  private final String tokenKey = "simtoken";
  private final String tokenSecret;
  private final String user = "admin";
  private final SimulatorStateFile stateFile;
  private Duration commissioning = Duration.ofMinutes(3);
  private Duration testing = Duration.ofMinutes(2);
  private Duration deploying = Duration.ofMinutes(10);
  private Duration releasing = Duration.ofMinutes(1);
  private boolean ipAddressesExhausted;
  int nextIndex = 1;

  /** The next id of a partition or NIC link (ids MAAS hands out from its database). */
  int nextStorageId = 10_000;

  private MaasSimulator(Clock clock, int port, Path stateDirectory) throws IOException {
    this.clock = clock;
    pools.put(0, new String[] {"default", "Default pool"});
    this.stateFile = stateDirectory == null ? null : SimulatorStateFile.in(stateDirectory, "maas");
    JsonNode saved = stateFile == null ? null : stateFile.read().orElse(null);
    this.tokenSecret =
        saved != null
            ? saved.path("tokenSecret").asString()
            : "simsecret" + Long.toHexString(System.nanoTime());
    if (saved != null) {
      MaasState.restore(saved, this);
    }
    // Without TCP_NODELAY the JDK server's split header/body writes meet delayed ACKs: ~40 ms a
    // request. Read once by the JDK when its first HttpServer starts.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    // A region controller serves many requests at once (regiond's workers and their threads): as
    // many here, so a client's own limit is what a test sees at the server (inFlight()).
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              var t = new Thread(r, "maas-simulator");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", this::handle).getFilters().add(inFlight);
    server.start();
    saveState();
  }

  /**
   * Starts a simulator on a free port whose machines move with the system clock.
   *
   * @return the simulator, listening; close it when done
   */
  public static MaasSimulator start() {
    return start(Clock.systemUTC());
  }

  /**
   * Starts a simulator on a free port whose machines move with {@code clock}.
   *
   * @param clock the clock the machines move with
   * @return the simulator, listening; close it when done
   */
  public static MaasSimulator start(Clock clock) {
    return start(clock, 0, null);
  }

  /**
   * Starts a simulator on {@code port} (0: any free one) whose machines move with {@code clock}.
   * With a {@code stateDirectory} (null: none) its machines, tags, zones, pools, devices and API
   * key are written there after every change and read back at start, so a restarted simulator
   * serves the same rack.
   *
   * @param clock the clock the machines move with
   * @param port the port, or 0 for a free one
   * @param stateDirectory where the state persists, or null for none
   * @return the simulator, listening; close it when done
   * @throws java.io.UncheckedIOException if the port cannot be bound
   */
  public static MaasSimulator start(Clock clock, int port, Path stateDirectory) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0 to 65535, was " + port);
    }
    Objects.requireNonNull(clock, "clock must not be null");
    try {
      return new MaasSimulator(clock, port, stateDirectory);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot start the MAAS simulator", e);
    }
  }

  /** {@return the base URI a {@code MaasClient} takes: {@code http://127.0.0.1:PORT/MAAS}} */
  public String baseUri() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/MAAS";
  }

  /** {@return the API key ({@code consumer:token:secret}) the simulator accepts} */
  public Secret apiKey() {
    return Secret.of(consumerKey + ":" + tokenKey + ":" + tokenSecret);
  }

  /**
   * Sets how long commissioning, testing, deploying and releasing take (defaults 3, 2, 10, 1 min).
   *
   * @param commission how long commissioning takes
   * @param test how long testing takes
   * @param deploy how long deploying takes
   * @param release how long releasing takes
   * @return this simulator
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

  /**
   * Adds a machine in status New; returns its system id.
   *
   * @param hostname the machine's host name
   * @return its system id
   */
  public String addMachine(String hostname) {
    synchronized (lock) {
      return addMachineLocked(hostname).systemId;
    }
  }

  SimulatedMachine addMachineLocked(String hostname) {
    int index = nextIndex++;
    String id = "sim" + Integer.toString(1000 + index, 36);
    var machine = new SimulatedMachine(id, hostname, index);
    machines.put(id, machine);
    return machine;
  }

  /**
   * Adds a machine already in status Ready; returns its system id.
   *
   * @param hostname the machine's host name
   * @return its system id
   */
  public String addReadyMachine(String hostname) {
    synchronized (lock) {
      SimulatedMachine m = addMachineLocked(hostname);
      m.status = MaasStatus.READY;
      m.statusMessage = "Ready";
      m.commissioned = true;
      m.storage.applyDefaultLayout(m);
      saveState();
      return m.systemId;
    }
  }

  /**
   * The machine's current status (after advancing it to now).
   *
   * @param systemId the machine's system id
   * @return its status
   */
  public MaasStatus status(String systemId) {
    synchronized (lock) {
      SimulatedMachine m = machines.get(systemId);
      m.advance(clock.instant());
      return m.status;
    }
  }

  /**
   * Commissioning of this machine will end in Failed commissioning with {@code message}.
   *
   * @param systemId the machine's system id
   * @param message the status message MAAS will show
   */
  public void failCommissioning(String systemId, String message) {
    change(systemId, m -> m.failCommissioning = message);
  }

  /**
   * Testing of this machine will end in Failed testing with {@code message}.
   *
   * @param systemId the machine's system id
   * @param message the status message MAAS will show
   */
  public void failTesting(String systemId, String message) {
    change(systemId, m -> m.failTesting = message);
  }

  /**
   * Deployment of this machine will end in Failed deployment with {@code message}.
   *
   * @param systemId the machine's system id
   * @param message the status message MAAS will show
   */
  public void failDeployment(String systemId, String message) {
    change(systemId, m -> m.failDeployment = message);
  }

  /**
   * Marks the machine Broken now, stopping whatever it was doing.
   *
   * @param systemId the machine's system id
   * @param message the status message MAAS will show
   */
  public void markBroken(String systemId, String message) {
    change(
        systemId,
        m -> {
          m.stop();
          m.start(clock.instant(), MaasStatus.BROKEN, message);
        });
  }

  /**
   * Makes the machine Allocated to another user (deploying it then answers 403).
   *
   * @param systemId the machine's system id
   * @param owner the other user's name
   */
  public void assignOwner(String systemId, String owner) {
    change(
        systemId,
        m -> {
          m.status = MaasStatus.ALLOCATED;
          m.owner = owner;
        });
  }

  /**
   * Gives the machine an address MAAS observes for it (a DHCP lease, shown in {@code
   * ip_addresses}): now, and again when it is commissioned, until it is deployed or released.
   *
   * @param systemId the machine's system id
   * @param address the IPv4 address observed
   */
  public void assignIpAddress(String systemId, String address) {
    change(
        systemId,
        m -> {
          m.observedAddress = address;
          if (!m.ipAddresses.contains(address)) {
            m.ipAddresses.add(address);
          }
        });
  }

  /**
   * While set, deploying answers 503 "No IP addresses available".
   *
   * @param exhausted true while deployments should find no address
   */
  public void exhaustIpAddresses(boolean exhausted) {
    synchronized (lock) {
      this.ipAddressesExhausted = exhausted;
    }
  }

  /**
   * The next {@code count} authenticated requests answer {@code status} with a plain-text body (and
   * a Retry-After header when {@code retryAfter} is not null).
   *
   * @param count how many requests it applies to
   * @param status the HTTP status to answer
   * @param retryAfter the Retry-After to send, or null for none
   */
  public void failNext(int count, int status, Duration retryAfter) {
    synchronized (lock) {
      for (int i = 0; i < count; i++) {
        faults.add(new Fault(status, "Simulated failure " + status, retryAfter));
      }
    }
  }

  /** {@return how many machines there are} */
  public int machineCount() {
    synchronized (lock) {
      return machines.size();
    }
  }

  /**
   * {@return the requests this simulator serves at once: their count now and at its peak, and a
   * stall that holds them (see {@link InFlightRequests})}
   */
  public InFlightRequests inFlight() {
    return inFlight;
  }

  /** {@return every request received so far, oldest first} */
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

  private void change(String systemId, Consumer<SimulatedMachine> change) {
    synchronized (lock) {
      SimulatedMachine m = machines.get(systemId);
      if (m == null) {
        throw new IllegalArgumentException("no machine with system id " + systemId);
      }
      change.accept(m);
      saveState();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      String query = exchange.getRequestURI().getRawQuery();
      String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
      byte[] raw = exchange.getRequestBody().readAllBytes();
      // MAAS takes URL-encoded and multipart forms (the MAAS CLI and python-libmaas send the
      // latter); the request log holds the URL-encoded form of either.
      String body =
          MaasMultipart.isMultipart(contentType)
              ? MaasMultipart.toUrlEncoded(contentType, raw)
              : new String(raw, StandardCharsets.UTF_8);
      Answer answer;
      synchronized (lock) {
        requests.add(new RecordedRequest(method, path, query, body, Map.of()));
        answer = answer(exchange, method, path, query == null ? "" : query, body);
        if (!method.equals("GET") && !method.equals("HEAD") && answer.status < 400) {
          saveState();
        }
      }
      answer.headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
      SimulatorHttp.send(exchange, answer.status, answer.contentType, answer.body);
    }
  }

  /** An HTTP answer. */
  record Answer(int status, String contentType, byte[] body, Map<String, String> headers) {
    static Answer json(Object value) {
      return json(200, value);
    }

    static Answer json(int status, Object value) {
      return new Answer(
          status, "application/json", Json.mapper().writeValueAsBytes(value), Map.of());
    }

    static Answer text(int status, String text) {
      return new Answer(
          status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8), Map.of());
    }
  }

  private Answer answer(
      HttpExchange exchange, String method, String path, String query, String body) {
    if (!path.startsWith("/MAAS/api/")) {
      return Answer.text(404, "Unknown API endpoint: " + path + ".");
    }
    boolean read = method.equals("GET") || method.equals("HEAD");
    if (read && MaasResources.isAnonymous(path)) {
      return MaasResources.anonymous(this, path);
    }
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
      return new Answer(
          fault.status(), "text/plain", fault.body().getBytes(StandardCharsets.UTF_8), headers);
    }
    if (!path.startsWith(ROOT)) {
      return Answer.text(404, "Unknown API endpoint: " + path + ".");
    }
    String rest = path.substring(ROOT.length());
    Map<String, List<String>> form = parseForm(body);
    Map<String, List<String>> params = parseForm(query);
    String op = params.getOrDefault("op", List.of("")).get(0);
    machines.values().forEach(m -> m.advance(clock.instant()));
    return MaasResources.route(this, read ? "GET" : method, rest, op, read ? params : form);
  }

  // Package-private accessors for the routes, all called under the lock.

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

  String tokenSecret() {
    return tokenSecret;
  }

  Map<String, Object> zoneJson(String name) {
    int id = new ArrayList<>(zones.keySet()).indexOf(name) + 1;
    return MaasJson.zone(id, name, zones.getOrDefault(name, ""));
  }

  Map<String, Object> poolJson(int id) {
    String[] pool = pools.getOrDefault(id, new String[] {"default", "Default pool"});
    return MaasJson.pool(id, pool[0], pool[1]);
  }

  static Answer json(Object value) {
    return Answer.json(value);
  }

  static Answer text(int status, String text) {
    return Answer.text(status, text);
  }

  /** A MAAS form validation error: 400 with a JSON map of field to messages. */
  static Answer invalid(String field, String message) {
    return Answer.json(400, Map.of(field, List.of(message)));
  }

  /** Writes the state to the state directory, if there is one. Called under the lock. */
  void saveState() {
    if (stateFile != null) {
      stateFile.write(MaasState.snapshot(this));
    }
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
      return "Invalid access token: " + params.getOrDefault("oauth_token", "");
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
