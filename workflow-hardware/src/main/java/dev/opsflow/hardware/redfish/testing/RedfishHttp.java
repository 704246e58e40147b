package dev.opsflow.hardware.redfish.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.opsflow.hardware.redfish.testing.RedfishSimulator.Answer;
import dev.opsflow.hardware.testing.RecordedRequest;
import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.testing.SimulatorHttp;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The HTTP side of the {@link RedfishSimulator}: authentication (sessions, basic), the open
 * documents (service root, {@code $metadata}, {@code odata}), HEAD, query parameters, and the
 * headers a well-behaved server sends (RFC 9110/9112: {@code Connection: close} when the client
 * asked for it, {@code Allow} with 405, {@code WWW-Authenticate} with 401, ETags).
 */
final class RedfishHttp implements HttpHandler {
  /** Paths DSP0266 leaves open: the version document, the service root, $metadata and odata. */
  private static final Set<String> OPEN =
      Set.of("/redfish", "/redfish/v1", "/redfish/v1/$metadata", "/redfish/v1/odata");

  private final RedfishSimulator sim;

  RedfishHttp(RedfishSimulator sim) {
    this.sim = sim;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getRawPath();
      String query = exchange.getRequestURI().getRawQuery();
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Answer answer;
      synchronized (sim.lock) {
        String normalized = RedfishBehaviour.normalize(decode(path));
        boolean login = method.equals("POST") && normalized.equals(sim.behaviour.sessionsPath());
        var headers = new LinkedHashMap<String, String>();
        String ifMatch = exchange.getRequestHeaders().getFirst("If-Match");
        if (ifMatch != null) {
          headers.put("if-match", ifMatch);
        }
        sim.record(
            new RecordedRequest(
                method,
                path,
                query,
                login ? "{\"UserName\":\"****\",\"Password\":\"****\"}" : body,
                headers));
        answer = answer(exchange, method, normalized, query, body, login, ifMatch);
        if (!method.equals("GET") && !method.equals("HEAD") && answer.status() < 400) {
          sim.saveState();
        }
      }
      send(exchange, answer);
    }
  }

  private static void send(HttpExchange exchange, Answer answer) throws IOException {
    byte[] bytes;
    String contentType = "application/json;charset=utf-8";
    if (answer.body() instanceof String xml) {
      bytes = xml.getBytes(StandardCharsets.UTF_8);
      contentType = "application/xml;charset=utf-8";
    } else {
      bytes = answer.body() == null ? new byte[0] : Json.mapper().writeValueAsBytes(answer.body());
    }
    var out = exchange.getResponseHeaders();
    out.set("OData-Version", "4.0");
    out.set("Cache-Control", "no-cache");
    answer.headers().forEach(out::set);
    SimulatorHttp.send(exchange, answer.status(), contentType, bytes);
  }

  private Answer answer(
      HttpExchange exchange,
      String method,
      String path,
      String query,
      String body,
      boolean login,
      String ifMatch) {
    boolean read = method.equals("GET") || method.equals("HEAD");
    if (read && OPEN.contains(path)) {
      Answer open = open(path);
      return query == null || query.isEmpty() ? open : RedfishQuery.apply(sim, open, query);
    }
    if (OPEN.contains(path)) {
      return notAllowed(method, path, "GET, HEAD");
    }
    if (login) {
      return login(body);
    }
    if (!authorized(exchange)) {
      var answer =
          RedfishSimulator.error(
              401,
              "NoValidSession",
              "There is no valid session established with the implementation.");
      return sim.basicEnabled
          ? new Answer(401, answer.body(), Map.of("WWW-Authenticate", "Basic realm=\"Redfish\""))
          : answer;
    }
    if (!read && query != null) {
      Answer refused = RedfishQuery.refuseOnOperation(query);
      if (refused != null) {
        return refused;
      }
    }
    if (!sim.faults.isEmpty()) {
      int status = sim.faults.remove(0)[0];
      return RedfishSimulator.error(status, "GeneralError", "Simulated failure " + status);
    }
    if (method.equals("DELETE") && sim.sessions.containsValue(path)) {
      sim.sessions.values().remove(path);
      sim.resources.remove(path);
      sim.behaviour.removeMember(sim.behaviour.sessionsPath(), path);
      return Answer.of(204);
    }
    Answer answer = sim.behaviour.route(read ? "GET" : method, path, body, ifMatch);
    if (read && answer.status() == 200 && query != null && !query.isEmpty()) {
      return RedfishQuery.apply(sim, answer, query);
    }
    return answer;
  }

  private Answer open(String path) {
    sim.behaviour.advance();
    return switch (path) {
      case "/redfish" -> new Answer(200, Map.of("v1", "/redfish/v1/"), Map.of());
      case "/redfish/v1/$metadata" -> new Answer(200, sim.metadata, Map.of());
      case "/redfish/v1/odata" ->
          sim.resources.containsKey(path)
              ? new Answer(200, sim.resources.get(path), Map.of())
              : new Answer(200, RedfishOdata.serviceDocument(sim.resources), Map.of());
      default -> sim.behaviour.get(path);
    };
  }

  static Answer notAllowed(String method, String path, String allow) {
    var error =
        RedfishSimulator.error(405, "OperationNotAllowed", method + " is not allowed on " + path);
    return new Answer(405, error.body(), Map.of("Allow", allow));
  }

  private boolean authorized(HttpExchange exchange) {
    String token = exchange.getRequestHeaders().getFirst("X-Auth-Token");
    if (token != null && sim.sessions.containsKey(token)) {
      return true;
    }
    String basic = exchange.getRequestHeaders().getFirst("Authorization");
    if (!sim.basicEnabled || basic == null || !basic.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    try {
      String pair =
          new String(
              Base64.getDecoder().decode(basic.substring(6).strip()), StandardCharsets.UTF_8);
      int colon = pair.indexOf(':');
      return colon > 0 && sim.validCredentials(pair.substring(0, colon), pair.substring(colon + 1));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private Answer login(String body) {
    if (!sim.sessionsEnabled) {
      return notAllowed("POST", sim.behaviour.sessionsPath(), "GET, HEAD");
    }
    JsonNode credentials;
    try {
      credentials = Json.mapper().readTree(body);
    } catch (RuntimeException e) {
      return RedfishSimulator.error(400, "MalformedJSON", "The request body is not valid JSON.");
    }
    for (String field : List.of("UserName", "Password")) {
      if (!credentials.path(field).isString()) {
        return RedfishSimulator.error(
            400,
            "PropertyMissing",
            "The property "
                + field
                + " is a required property and must be included in the request.");
      }
    }
    if (!sim.validCredentials(
        credentials.path("UserName").asString(), credentials.path("Password").asString())) {
      return RedfishSimulator.error(401, "InsufficientPrivilege", "Invalid user name or password.");
    }
    String token = UUID.randomUUID().toString().replace("-", "");
    String id = token.substring(0, 12);
    String uri = sim.behaviour.sessionsPath() + "/" + id;
    sim.sessions.put(token, uri);
    ObjectNode session = Json.mapper().createObjectNode();
    session.put("@odata.type", "#Session.v1_5_0.Session");
    session.put("@odata.id", uri);
    session.put("Id", id);
    session.put("Name", "User Session");
    session.put("Description", "Manager User Session");
    session.put("UserName", credentials.path("UserName").asString());
    session.put("CreatedTime", sim.clock().instant().toString());
    session.put("SessionType", "Redfish");
    session.putObject("Oem");
    sim.resources.put(uri, session);
    sim.behaviour.addMember(sim.behaviour.sessionsPath(), uri);
    return new Answer(
        201,
        session,
        Map.of("X-Auth-Token", token, "Location", uri, "ETag", RedfishBehaviour.etag(session)));
  }

  private static String decode(String path) {
    return URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
