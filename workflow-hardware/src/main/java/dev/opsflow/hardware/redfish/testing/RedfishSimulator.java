package dev.opsflow.hardware.redfish.testing;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.opsflow.hardware.redfish.RedfishSettings;
import dev.opsflow.hardware.testing.RecordedRequest;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.http.HttpSettings;
import dev.opsflow.workflow.testing.InFlightRequests;
import dev.opsflow.workflow.testing.SelfSignedCertificate;
import dev.opsflow.workflow.testing.SimulatorStateFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Redfish service on 127.0.0.1 that serves a {@link Mockup} and adds the behaviour mockup data
 * lacks (docs/simulators.md has the whole list):
 *
 * <ul>
 *   <li>HTTPS with a self-signed certificate (plain HTTP sent there gets a 400), and optionally the
 *       same API over plain HTTP ({@link Builder#httpPort});
 *   <li>sessions ({@code POST} to the sessions collection, {@code X-Auth-Token}, {@code DELETE}) or
 *       HTTP basic on everything but {@code /redfish}, the service root, {@code $metadata} and
 *       {@code odata};
 *   <li>HTTP per RFC 9110/9112: keep-alive, {@code Connection: close}, HEAD, strong ETags, {@code
 *       If-Match} optional with {@code *} and lists, 405 with {@code Allow}; {@code $expand},
 *       {@code $select}, {@code $filter} and {@code only} (advertised in the service root);
 *   <li>PATCH validated against the schema's writable properties, enumerations and the BIOS
 *       attribute registry; PowerState follows {@code #ComputerSystem.Reset} (reset types from the
 *       ActionInfo); a reset that boots applies and clears pending BIOS settings and uses up a
 *       {@code Once} boot override;
 *   <li>{@code #UpdateService.SimpleUpdate} answers 202 with a task monitor; the Task (listed in
 *       the TaskService, with its EstimatedDuration) runs New -> Running -> Completed over the
 *       simulator's clock (or Exception, see {@link #failUpdates}); Completed updates the Targets'
 *       Version;
 *   <li>a manager's EthernetInterface takes DHCPv4.DHCPEnabled, IPv4StaticAddresses and HostName.
 * </ul>
 *
 * <p>Time comes from the {@link Clock} given (a {@code ManualClock} makes a 3-minute update pass
 * instantly); state advances lazily at each request, and with a state directory it is written after
 * every change and read back at start. Faults: {@link #failNext}, {@link #failUpdates}, {@link
 * #stickUpdates}, {@link #expireSessions}, {@link #disableSessions}, {@link #disableBasicAuth},
 * {@link #deleteMonitorsWhenDone}. The request log ({@link #requests()}) never holds credentials
 * (session POST bodies are masked). Thread-safe.
 */
public final class RedfishSimulator implements AutoCloseable {
  private final Clock clock;
  private final HttpServer server;
  private final HttpServer plainServer;
  private final InFlightRequests inFlight = new InFlightRequests();
  private final TlsPort tlsPort;
  private final ExecutorService executor;
  final Object lock = new Object();
  final Map<String, ObjectNode> resources;
  private final String username;
  private final String password;
  final Map<String, String> sessions = new LinkedHashMap<>();
  private final List<RecordedRequest> requests = new ArrayList<>();
  final List<int[]> faults = new ArrayList<>();
  final RedfishBehaviour behaviour;
  private final SelfSignedCertificate certificate;
  private final SimulatorStateFile stateFile;
  final String metadata;
  boolean sessionsEnabled = true;
  boolean basicEnabled = true;

  private RedfishSimulator(Builder b) throws IOException {
    this.clock = b.clock;
    this.stateFile =
        b.stateDirectory == null ? null : SimulatorStateFile.in(b.stateDirectory, "redfish");
    JsonNode saved = stateFile == null ? null : stateFile.read().orElse(null);
    this.resources = saved == null ? b.mockup.copy() : RedfishState.resources(saved);
    // Whatever the mockup's BMC advertised, this service supports the queries RedfishQuery has.
    RedfishQuery.advertise(resources.get("/redfish/v1"));
    this.metadata = b.mockup.metadata().orElseGet(() -> RedfishOdata.metadata(resources));
    this.username = b.username;
    this.password =
        saved != null
            ? saved.path("password").asString()
            : b.password != null
                ? b.password
                : "pw-" + UUID.randomUUID().toString().substring(0, 8);
    this.behaviour = new RedfishBehaviour(this);
    behaviour.updates.updateDuration = b.updateDuration;
    if (saved != null) {
      RedfishState.restore(saved, this);
    }
    // Without TCP_NODELAY the JDK server's split header/body writes meet delayed ACKs: ~40 ms a
    // request. Read once by the JDK when its first HttpServer starts.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    // HTTPS with a self-signed certificate, as a BMC out of the box: clients verify it (trust
    // certificatePem()), never skip the check.
    this.certificate = SelfSignedCertificate.shared();
    this.executor =
        Executors.newFixedThreadPool(
            4,
            r -> {
              var t = new Thread(r, "redfish-simulator");
              t.setDaemon(true);
              return t;
            });
    var handler = new RedfishHttp(this);
    // The HTTPS server listens on a private port behind TlsPort, which answers plain HTTP sent to
    // the HTTPS port (the JDK server would drop it without a word).
    var https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    https.setHttpsConfigurator(new HttpsConfigurator(certificate.serverContext()));
    this.server = https;
    server.setExecutor(executor);
    server.createContext("/", handler).getFilters().add(inFlight);
    if (b.httpPort >= 0) {
      plainServer = HttpServer.create(new InetSocketAddress("127.0.0.1", b.httpPort), 0);
      plainServer.setExecutor(executor);
      plainServer.createContext("/", handler).getFilters().add(inFlight);
    } else {
      plainServer = null;
    }
    server.start();
    try {
      this.tlsPort = new TlsPort(b.port, server.getAddress().getPort());
    } catch (IOException e) {
      server.stop(0);
      executor.shutdownNow();
      throw e;
    }
    if (plainServer != null) {
      plainServer.start();
    }
    saveState();
  }

  /**
   * Serves Opsflow's built-in mockup with the system clock; user {@code admin}.
   *
   * @return the simulator, listening; close it when done
   */
  public static RedfishSimulator start() {
    return builder().start();
  }

  /**
   * Serves {@code mockup} with {@code clock}; user {@code admin} with a random password.
   *
   * @param mockup the resources to serve
   * @param clock the clock the state follows
   * @return the simulator, listening; close it when done
   */
  public static RedfishSimulator start(Mockup mockup, Clock clock) {
    return builder().mockup(mockup).clock(clock).start();
  }

  /**
   * {@return a builder: the built-in mockup, the system clock, user {@code admin}, any free port}
   */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return {@code https://127.0.0.1:PORT}: the origin a RedfishClient takes} */
  public String origin() {
    return "https://127.0.0.1:" + tlsPort.port();
  }

  /**
   * {@return {@code http://127.0.0.1:PORT} of the plain-HTTP port (serving the same API, as BMCs
   * with HTTP enabled do), if {@link Builder#httpPort} asked for one}
   */
  public java.util.Optional<String> plainOrigin() {
    return plainServer == null
        ? java.util.Optional.empty()
        : java.util.Optional.of("http://127.0.0.1:" + plainServer.getAddress().getPort());
  }

  /**
   * {@return the simulator's self-signed certificate in PEM: what a client trusts (TLS stays
   * verified)}
   */
  public String certificatePem() {
    return certificate.pem();
  }

  /**
   * Session-auth settings for this simulator: its origin and account, trusting its certificate.
   *
   * @return the settings
   */
  public RedfishSettings settings() {
    return RedfishSettings.of(origin(), username, Secret.of(password))
        .withHttp(HttpSettings.of(origin()).withTrustedPem(certificate.pem()));
  }

  /** {@return the account the simulator accepts} */
  public String username() {
    return username;
  }

  /** {@return its password} */
  public Secret password() {
    return Secret.of(password);
  }

  /**
   * The current state of a resource (a copy), or null.
   *
   * @param path the resource's {@code @odata.id}
   * @return a copy of its state, or null
   */
  public JsonNode resource(String path) {
    synchronized (lock) {
      behaviour.advance();
      ObjectNode node = resources.get(RedfishBehaviour.normalize(path));
      return node == null ? null : node.deepCopy();
    }
  }

  /**
   * The next {@code count} authenticated requests answer {@code status} with a Redfish error.
   *
   * @param count how many requests it applies to
   * @param status the HTTP status to answer
   */
  public void failNext(int count, int status) {
    synchronized (lock) {
      for (int i = 0; i < count; i++) {
        faults.add(new int[] {status});
      }
    }
  }

  /**
   * Update tasks started from now on end in Exception with {@code message}; null to stop.
   *
   * @param message the message the tasks end with, or null to stop
   */
  public void failUpdates(String message) {
    synchronized (lock) {
      behaviour.updates.updateFailure = message;
    }
  }

  /**
   * Update tasks started from now on stay Running forever (a stuck task).
   *
   * @param stuck true to keep them Running
   */
  public void stickUpdates(boolean stuck) {
    synchronized (lock) {
      behaviour.updates.updatesStuck = stuck;
    }
  }

  /**
   * Task monitors answer 404 once their task ended, as some services do (the Task stays).
   *
   * @param deleted true to answer 404 for ended tasks' monitors
   */
  public void deleteMonitorsWhenDone(boolean deleted) {
    synchronized (lock) {
      behaviour.updates.monitorsDeletedWhenDone = deleted;
    }
  }

  /**
   * How long an update task runs (default 3 minutes).
   *
   * @param duration how long an update task runs
   */
  public void updateDuration(Duration duration) {
    synchronized (lock) {
      behaviour.updates.updateDuration = duration;
    }
  }

  /** Forgets every session token, as a BMC does when sessions time out. */
  public void expireSessions() {
    synchronized (lock) {
      sessions.clear();
    }
  }

  /** Makes the session service answer 405, as services without sessions do. */
  public void disableSessions() {
    synchronized (lock) {
      sessionsEnabled = false;
    }
  }

  /** Refuses HTTP basic auth, as services that allow sessions only do. */
  public void disableBasicAuth() {
    synchronized (lock) {
      basicEnabled = false;
    }
  }

  /** {@return how many sessions are open} */
  public int openSessions() {
    synchronized (lock) {
      return sessions.size();
    }
  }

  /**
   * {@return the requests this simulator serves at once: their count now and at its peak, and a
   * stall that holds them (see {@link InFlightRequests})} Like a BMC, it serves at most 4 at once.
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
    tlsPort.close();
    server.stop(0);
    if (plainServer != null) {
      plainServer.stop(0);
    }
    executor.shutdownNow();
  }

  Clock clock() {
    return clock;
  }

  /** An HTTP answer. */
  record Answer(int status, Object body, Map<String, String> headers) {
    static Answer of(int status) {
      return new Answer(status, null, Map.of());
    }
  }

  static Answer error(int status, String messageId, String message) {
    var info =
        Map.of("MessageId", "Base.1.8." + messageId, "Message", message, "Severity", "Critical");
    return new Answer(
        status,
        Map.of(
            "error",
            Map.of(
                "code",
                "Base.1.8." + messageId,
                "message",
                message,
                "@Message.ExtendedInfo",
                List.of(info))),
        Map.of());
  }

  /** Records a request (credentials masked). Called under the lock. */
  void record(RecordedRequest request) {
    requests.add(request);
  }

  /** Whether the credentials are the account's. */
  boolean validCredentials(String user, String pass) {
    return username.equals(user) && password.equals(pass);
  }

  /** Writes the state to the state directory, if there is one. Called under the lock. */
  void saveState() {
    if (stateFile != null) {
      synchronized (lock) {
        stateFile.write(RedfishState.snapshot(this, password));
      }
    }
  }

  /** Builds a {@link RedfishSimulator}. Not thread-safe. */
  public static final class Builder {
    private Mockup mockup;
    private Clock clock = Clock.systemUTC();
    private String username = "admin";
    private String password;
    private int port;
    private int httpPort = -1;
    private Path stateDirectory;
    private Duration updateDuration = Duration.ofMinutes(3);

    private Builder() {}

    /**
     * The mockup to serve (default {@link Mockup#builtIn()}).
     *
     * @param value the mockup
     * @return this builder
     */
    public Builder mockup(Mockup value) {
      this.mockup = Objects.requireNonNull(value, "mockup must not be null");
      return this;
    }

    /**
     * The clock state follows (a {@code ManualClock} in tests).
     *
     * @param value the clock
     * @return this builder
     */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock must not be null");
      return this;
    }

    /**
     * The account (default {@code admin} with a random password).
     *
     * @param user the account's name
     * @param secret its password
     * @return this builder
     */
    public Builder account(String user, Secret secret) {
      if (user == null || user.isBlank()) {
        throw new IllegalArgumentException("user must not be blank");
      }
      this.username = user;
      this.password = Objects.requireNonNull(secret, "password must not be null").reveal();
      return this;
    }

    /**
     * The HTTPS port (default 0: any free port).
     *
     * @param value the HTTPS port, or 0 for a free one
     * @return this builder
     */
    public Builder port(int value) {
      this.port = checkPort(value, "port");
      return this;
    }

    /**
     * Also serves the API over plain HTTP on this port (0: any free port; default none).
     *
     * @param value the plain-HTTP port, or 0 for a free one
     * @return this builder
     */
    public Builder httpPort(int value) {
      this.httpPort = checkPort(value, "httpPort");
      return this;
    }

    /**
     * Keeps the state (resources, sessions, tasks, the password) in {@code dir}, written after
     * every change and read at start, so a restarted simulator serves the same BMC.
     *
     * @param dir where the state persists
     * @return this builder
     */
    public Builder stateDirectory(Path dir) {
      this.stateDirectory = Objects.requireNonNull(dir, "stateDirectory must not be null");
      return this;
    }

    /**
     * How long a SimpleUpdate task runs (default 3 minutes); shown as its EstimatedDuration.
     *
     * @param value how long an update task runs
     * @return this builder
     */
    public Builder updateDuration(Duration value) {
      if (value == null || value.isNegative()) {
        throw new IllegalArgumentException("updateDuration must be >= 0, was " + value);
      }
      this.updateDuration = value;
      return this;
    }

    /**
     * Starts it.
     *
     * @return the simulator, listening; close it when done
     * @throws UncheckedIOException if a port cannot be bound
     */
    public RedfishSimulator start() {
      if (mockup == null) {
        mockup = Mockup.builtIn();
      }
      try {
        return new RedfishSimulator(this);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the Redfish simulator", e);
      }
    }

    private static int checkPort(int value, String name) {
      if (value < 0 || value > 65535) {
        throw new IllegalArgumentException(name + " must be 0 to 65535, was " + value);
      }
      return value;
    }
  }
}
