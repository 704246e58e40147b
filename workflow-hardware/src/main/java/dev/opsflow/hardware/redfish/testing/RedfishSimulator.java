package dev.opsflow.hardware.redfish.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.opsflow.hardware.redfish.RedfishSettings;
import dev.opsflow.hardware.testing.RecordedRequest;
import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.http.HttpSettings;
import dev.opsflow.workflow.testing.SelfSignedCertificate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Redfish service on 127.0.0.1 that serves a {@link Mockup} and adds the behaviour mockup data
 * lacks:
 *
 * <ul>
 *   <li>sessions: {@code POST} to the sessions collection with UserName/Password answers 201 with
 *       {@code X-Auth-Token} and a Location, {@code DELETE} ends the session; every other request
 *       (but the service root) needs a valid token or HTTP basic, else 401;
 *   <li>ETags on every GET; PATCH needs a matching {@code If-Match} (428 without, 412 stale);
 *   <li>PowerState follows {@code #ComputerSystem.Reset} (its allowable values are enforced); BIOS
 *       settings PATCHed to the {@code @Redfish.Settings} SettingsObject apply on the next reset
 *       that boots the system, or at once with ApplyTime Immediate; unknown attributes 400;
 *   <li>{@code #UpdateService.SimpleUpdate} answers 202 with a task monitor; the task runs New ->
 *       Running -> Completed over the simulator's clock (or Exception, see {@link #failUpdates});
 *       the monitor answers 202 while it runs, then 200; Completed updates the Targets' Version;
 *   <li>a manager's EthernetInterface takes DHCPv4.DHCPEnabled, IPv4StaticAddresses and HostName; a
 *       ComputerSystem takes its Boot override (allowable targets enforced).
 * </ul>
 *
 * <p>Time comes from the {@link Clock} given (a {@code ManualClock} makes a 3-minute update pass
 * instantly); state advances lazily at each request. Faults: {@link #failNext}, {@link
 * #failUpdates}, {@link #stickUpdates}, {@link #expireSessions}, {@link #disableSessions}, {@link
 * #disableBasicAuth}, {@link #deleteMonitorsWhenDone}. The request log ({@link #requests()}) never
 * holds credentials (session POST bodies are masked). Thread-safe.
 */
public final class RedfishSimulator implements AutoCloseable {
  private final Clock clock;
  private final HttpServer server;
  private final ExecutorService executor;
  final Object lock = new Object();
  final Map<String, ObjectNode> resources;
  private final String username;
  private final String password;
  private final Map<String, String> sessions = new LinkedHashMap<>();
  private final List<RecordedRequest> requests = new ArrayList<>();
  private final List<int[]> faults = new ArrayList<>();
  private final RedfishBehaviour behaviour;
  private final SelfSignedCertificate certificate;
  private boolean sessionsEnabled = true;
  private boolean basicEnabled = true;

  private RedfishSimulator(Mockup mockup, Clock clock, String username, String password)
      throws IOException {
    this.clock = clock;
    this.resources = mockup.copy();
    this.username = username;
    this.password = password;
    this.behaviour = new RedfishBehaviour(this);
    // Without TCP_NODELAY the JDK server's split header/body writes meet delayed ACKs: ~40 ms a
    // request. Read once by the JDK when its first HttpServer starts.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    // HTTPS with a self-signed certificate, as a BMC out of the box: clients verify it (trust
    // certificatePem()), never skip the check.
    this.certificate = SelfSignedCertificate.shared();
    var https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    https.setHttpsConfigurator(new HttpsConfigurator(certificate.serverContext()));
    this.server = https;
    this.executor =
        Executors.newFixedThreadPool(
            4,
            r -> {
              var t = new Thread(r, "redfish-simulator");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Serves Opsflow's built-in mockup with the system clock; user {@code admin}. */
  public static RedfishSimulator start() {
    return start(Mockup.builtIn(), Clock.systemUTC());
  }

  /** Serves {@code mockup} with {@code clock}; user {@code admin} with a random password. */
  public static RedfishSimulator start(Mockup mockup, Clock clock) {
    try {
      return new RedfishSimulator(
          mockup, clock, "admin", "pw-" + UUID.randomUUID().toString().substring(0, 8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the Redfish simulator", e);
    }
  }

  /** {@code https://127.0.0.1:PORT}: the origin a RedfishClient takes. */
  public String origin() {
    return "https://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The simulator's self-signed certificate in PEM: what a client trusts (TLS stays verified). */
  public String certificatePem() {
    return certificate.pem();
  }

  /** Session-auth settings for this simulator: its origin and account, trusting its certificate. */
  public RedfishSettings settings() {
    return RedfishSettings.of(origin(), username, Secret.of(password))
        .withHttp(HttpSettings.of(origin()).withTrustedPem(certificate.pem()));
  }

  /** The account the simulator accepts. */
  public String username() {
    return username;
  }

  /** Its password. */
  public Secret password() {
    return Secret.of(password);
  }

  /** The current state of a resource (a copy), or null. */
  public JsonNode resource(String path) {
    synchronized (lock) {
      behaviour.advance();
      ObjectNode node = resources.get(RedfishBehaviour.normalize(path));
      return node == null ? null : node.deepCopy();
    }
  }

  /** The next {@code count} authenticated requests answer {@code status} with a Redfish error. */
  public void failNext(int count, int status) {
    synchronized (lock) {
      for (int i = 0; i < count; i++) {
        faults.add(new int[] {status});
      }
    }
  }

  /** Update tasks started from now on end in Exception with {@code message}; null to stop. */
  public void failUpdates(String message) {
    synchronized (lock) {
      behaviour.updateFailure = message;
    }
  }

  /** Update tasks started from now on stay Running forever (a stuck task). */
  public void stickUpdates(boolean stuck) {
    synchronized (lock) {
      behaviour.updatesStuck = stuck;
    }
  }

  /** Task monitors answer 404 once their task ended, as some services do (the Task stays). */
  public void deleteMonitorsWhenDone(boolean deleted) {
    synchronized (lock) {
      behaviour.monitorsDeletedWhenDone = deleted;
    }
  }

  /** How long an update task runs (default 3 minutes). */
  public void updateDuration(Duration duration) {
    synchronized (lock) {
      behaviour.updateDuration = duration;
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

  /** How many sessions are open. */
  public int openSessions() {
    synchronized (lock) {
      return sessions.size();
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

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Answer answer;
      synchronized (lock) {
        String normalized = RedfishBehaviour.normalize(path);
        boolean login = method.equals("POST") && normalized.equals(behaviour.sessionsPath());
        var headers = new LinkedHashMap<String, String>();
        String ifMatch = exchange.getRequestHeaders().getFirst("If-Match");
        if (ifMatch != null) {
          headers.put("if-match", ifMatch);
        }
        requests.add(
            new RecordedRequest(
                method,
                path,
                exchange.getRequestURI().getRawQuery(),
                login ? "{\"UserName\":\"****\",\"Password\":\"****\"}" : body,
                headers));
        answer = answer(exchange, method, normalized, body, login, ifMatch);
      }
      byte[] bytes =
          answer.body() == null ? new byte[0] : Json.mapper().writeValueAsBytes(answer.body());
      exchange.getResponseHeaders().set("OData-Version", "4.0");
      if (bytes.length > 0) {
        exchange.getResponseHeaders().set("Content-Type", "application/json;charset=utf-8");
      }
      answer.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
      exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        exchange.getResponseBody().write(bytes);
      }
    }
  }

  private Answer answer(
      HttpExchange exchange,
      String method,
      String path,
      String body,
      boolean login,
      String ifMatch) {
    if (method.equals("GET") && (path.equals("/redfish") || path.equals("/redfish/v1"))) {
      return path.equals("/redfish")
          ? new Answer(200, Map.of("v1", "/redfish/v1/"), Map.of())
          : behaviour.get(path);
    }
    if (login) {
      return login(body);
    }
    String token = exchange.getRequestHeaders().getFirst("X-Auth-Token");
    String basic = exchange.getRequestHeaders().getFirst("Authorization");
    boolean authorized =
        token != null && sessions.containsKey(token)
            || basicEnabled
                && basic != null
                && basic.equals(
                    "Basic "
                        + Base64.getEncoder()
                            .encodeToString(
                                (username + ":" + password).getBytes(StandardCharsets.UTF_8)));
    if (!authorized) {
      return error(
          401, "NoValidSession", "There is no valid session established with the implementation.");
    }
    if (!faults.isEmpty()) {
      int status = faults.remove(0)[0];
      return error(status, "GeneralError", "Simulated failure " + status);
    }
    if (method.equals("DELETE") && sessions.containsValue(path)) {
      sessions.values().remove(path);
      resources.remove(path);
      behaviour.removeMember(behaviour.sessionsPath(), path);
      return Answer.of(204);
    }
    return behaviour.route(method, path, body, ifMatch);
  }

  private Answer login(String body) {
    if (!sessionsEnabled) {
      return error(405, "OperationNotAllowed", "Sessions are not supported.");
    }
    JsonNode credentials;
    try {
      credentials = Json.mapper().readTree(body);
    } catch (RuntimeException e) {
      return error(400, "MalformedJSON", "The request body is not valid JSON.");
    }
    if (!username.equals(credentials.path("UserName").asString(""))
        || !password.equals(credentials.path("Password").asString(""))) {
      return error(401, "InsufficientPrivilege", "Invalid user name or password.");
    }
    String token = UUID.randomUUID().toString().replace("-", "");
    String id = token.substring(0, 12);
    String uri = behaviour.sessionsPath() + "/" + id;
    sessions.put(token, uri);
    ObjectNode session = Json.mapper().createObjectNode();
    session.put("@odata.type", "#Session.v1_5_0.Session");
    session.put("@odata.id", uri);
    session.put("Id", id);
    session.put("Name", "User Session");
    session.put("UserName", username);
    resources.put(uri, session);
    behaviour.addMember(behaviour.sessionsPath(), uri);
    return new Answer(201, session, Map.of("X-Auth-Token", token, "Location", uri));
  }
}
