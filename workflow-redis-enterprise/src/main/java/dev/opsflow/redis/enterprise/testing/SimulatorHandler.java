package dev.opsflow.redis.enterprise.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.opsflow.workflow.http.Redactor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The simulator's HTTP side: faults first, then authentication as a real node does it (none before
 * the bootstrap, basic auth after), then routing to the simulated endpoints; every request goes to
 * the log with its secrets redacted.
 */
final class SimulatorHandler implements HttpHandler {
  private static final Pattern LICENSE_FIELD =
      Pattern.compile("\"license\"\\s*:\\s*\"(?:[^\"\\\\]|\\\\.)*\"");

  /** The password in a {@code redis://user:password@host} or {@code sftp://...} URI. */
  private static final Pattern URI_PASSWORD =
      Pattern.compile("((?:redis|rediss|sftp|ftp)://[^:@/\"]*:)[^@/\"]*@");

  private final SimulatorApi api;
  private final SimulatorDatabases databases;
  private final Faults faults;
  private final String messageField;
  private final List<RecordedRequest> log;
  private final SimulatorJoins joins;

  /** Run after every request that may have changed the state, before its answer is sent. */
  private volatile Runnable changed = () -> {};

  SimulatorHandler(
      SimulatorApi api,
      SimulatorDatabases databases,
      Faults faults,
      String messageField,
      List<RecordedRequest> log,
      SimulatorJoins joins) {
    this.api = api;
    this.joins = joins;
    this.databases = databases;
    this.faults = faults;
    this.messageField = messageField;
    this.log = log;
  }

  /** Runs {@code action} after each request that may change the state, before answering it. */
  void onChange(Runnable action) {
    this.changed = action;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    String query = exchange.getRequestURI().getRawQuery();
    String raw = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String[] credentials = basicAuth(exchange.getRequestHeaders().getFirst("Authorization"));
    String user = credentials == null ? null : credentials[0];
    Duration latency = faults.latency();
    if (!latency.isZero()) {
      try {
        Thread.sleep(latency.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    var fault = faults.take(method, path);
    String redacted =
        raw.isBlank()
            ? ""
            : URI_PASSWORD
                .matcher(
                    LICENSE_FIELD
                        .matcher(Redactor.redactJson(raw))
                        .replaceAll("\"license\":\"****\""))
                .replaceAll("$1****@");
    if (fault.isPresent() && fault.get().kind == Faults.Kind.DROP) {
      log.add(new RecordedRequest(method, path, query, redacted, user, 0, api.clock().instant()));
      exchange.close();
      return;
    }
    Reply reply;
    try {
      reply =
          fault
              .map(f -> Reply.error(f.status, f.errorCode, f.description))
              .orElseGet(
                  () ->
                      // A node that joined a cluster serves the cluster's API, as every node does.
                      joins.member() && !path.startsWith("/v1/bootstrap")
                          ? joins.forward(exchange, raw)
                          : route(method, path, query, raw, credentials));
    } catch (RuntimeException e) {
      reply = Reply.error(500, "internal_error", "simulator failure: " + e.getMessage());
    }
    if (!method.equals("GET") && !method.equals("HEAD")) {
      // Saved before the answer: a client that saw it succeed finds it after a restart.
      changed.run();
    }
    log.add(
        new RecordedRequest(
            method, path, query, redacted, user, reply.status(), api.clock().instant()));
    respond(exchange, reply);
  }

  private Reply route(String method, String path, String query, String raw, String[] creds) {
    boolean bootstrapped = api.bootstrapped();
    boolean authenticated = creds != null && api.authenticates(creds[0], creds[1]);
    boolean bootstrapPath = path.equals("/v1/bootstrap") || path.startsWith("/v1/bootstrap/");
    if (bootstrapped && !authenticated) {
      return Reply.error(
          401,
          "unauthorized",
          creds == null ? "authentication required" : "invalid username or password");
    }
    if (!bootstrapped && !bootstrapPath) {
      return Reply.error(
          503,
          "node_not_bootstrapped",
          "this node is not part of an active cluster (bootstrap " + api.bootstrapState() + ")");
    }
    JsonNode body = SimulatorJson.parse(raw);
    String trimmed = path.replaceAll("/+$", "");
    if (method.equals("POST") && trimmed.startsWith("/v1/bootstrap/validate/")) {
      String action = trimmed.substring("/v1/bootstrap/validate/".length());
      return switch (action) {
        case "create_cluster" -> api.validateCluster(body);
        case "recover_cluster" -> api.validateRecovery(body);
        case "join_cluster" -> joins.validate(body);
        default -> Reply.error(404, "not_found", "no bootstrap action " + action);
      };
    }
    String[] parts = trimmed.split("/");
    if (parts.length < 3 || !parts[1].equals("v1")) {
      return Reply.error(404, "not_found", "no endpoint " + path);
    }
    if (parts.length > 4) {
      return deep(method, parts, body);
    }
    String resource = parts[2];
    String id = parts.length > 3 ? parts[3] : null;
    return switch (resource + " " + method + (id == null ? "" : " id")) {
      case "bootstrap GET" -> api.getBootstrap();
      case "bootstrap POST id" ->
          switch (id) {
            case "create_cluster" -> api.createCluster(body);
            case "recover_cluster" -> api.recoverCluster(body);
            case "join_cluster" -> joins.join(body);
            default -> Reply.error(404, "not_found", "no bootstrap action " + id);
          };
      case "cluster GET" -> api.getCluster();
      case "cluster PUT" -> api.putCluster(body);
      case "nodes GET" -> api.getNodes();
      case "nodes GET id" -> {
        synchronized (api) {
          yield switch (id) {
            case "actions" -> api.nodeActions().list(null, api.clock().instant());
            case "status" -> api.getNodeStatuses();
            default -> api.getNode(id);
          };
        }
      }
      case "simulator POST id" ->
          id.equals("join_node")
              ? joins.accept(body)
              : Reply.error(404, "not_found", "no endpoint " + path);
      case "license GET" -> api.getLicense();
      case "license PUT" -> api.putLicense(body);
      case "users GET" -> api.getUsers();
      case "users GET id" -> api.getUser(id);
      case "users POST" -> api.createUser(body);
      case "bdbs GET" -> databases.list();
      case "bdbs POST" -> databases.create(body, query);
      case "bdbs GET id" -> databases.get(id);
      case "bdbs PUT id" -> databases.update(id, body);
      case "bdbs DELETE id" -> databases.delete(id);
      case "shards GET" -> databases.shards();
      case "actions GET" -> databases.listActions();
      case "actions GET id" -> databases.getAction(id);
      default -> Reply.error(405, "method_not_allowed", method + " " + path + " is not supported");
    };
  }

  /** {@code /v1/bdbs/{uid}/upgrade}, {@code /v1/bdbs/{uid}/actions/X}, node actions. */
  private Reply deep(String method, String[] parts, JsonNode body) {
    String path = String.join("/", parts);
    if (parts[2].equals("nodes")) {
      synchronized (api) {
        return nodeAction(method, parts, path);
      }
    }
    if (parts[2].equals("cluster")
        && method.equals("POST")
        && path.equals("/v1/cluster/actions/change_master")) {
      return api.changeMaster(body);
    }
    if (!parts[2].equals("bdbs")) {
      return Reply.error(404, "not_found", "no endpoint " + path);
    }
    String route =
        method + " " + String.join(" ", java.util.Arrays.copyOfRange(parts, 4, parts.length));
    return switch (route) {
      case "POST upgrade" -> databases.operate(parts[3], "upgrade", body);
      case "POST actions export" -> databases.operate(parts[3], "export", body);
      case "POST actions import" -> databases.operate(parts[3], "import", body);
      case "GET actions recover" -> databases.operate(parts[3], "recovery-plan", body);
      case "POST actions recover" -> databases.operate(parts[3], "recover", body);
      default -> Reply.error(405, "method_not_allowed", method + " " + path + " is not supported");
    };
  }

  private Reply nodeAction(String method, String[] parts, String path) {
    var node = api.node(parts[3]);
    if (node.isEmpty()) {
      return Reply.error(404, "node_not_found", "node " + parts[3] + " does not exist");
    }
    var now = api.clock().instant();
    if (parts.length == 5 && parts[4].equals("actions") && method.equals("GET")) {
      return api.nodeActions().list(node.get(), now);
    }
    if (parts.length == 5 && parts[4].equals("status") && method.equals("GET")) {
      return api.getNodeStatus(node.get());
    }
    if (parts.length == 6 && parts[4].equals("actions")) {
      return switch (method) {
        case "GET" -> api.nodeActions().get(node.get(), parts[5], now);
        case "POST" -> api.nodeActions().start(node.get(), parts[5], now);
        default -> Reply.error(405, "method_not_allowed", method + " " + path);
      };
    }
    return Reply.error(404, "not_found", "no endpoint " + path);
  }

  private void respond(HttpExchange exchange, Reply reply) throws IOException {
    Object body =
        reply.body() instanceof Reply.ErrorBody error ? error.toJson(messageField) : reply.body();
    byte[] bytes =
        body == null ? new byte[0] : SimulatorJson.write(body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }

  private static String[] basicAuth(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    try {
      String decoded =
          new String(
              Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      return colon < 0
          ? null
          : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
