package dev.opsflow.redis.enterprise.testing;

import com.sun.net.httpserver.HttpExchange;
import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.http.TlsContexts;
import dev.opsflow.workflow.http.TlsTrust;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /v1/bootstrap/join_cluster}: a fresh simulated node joins another simulated cluster.
 *
 * <p>The joining node checks the body ({@code cluster.nodes}, {@code credentials}, {@code
 * cnm_https_port}; 400 {@code config_error} naming the field), then reaches the cluster's REST port
 * with the admin's credentials over HTTPS, verifying the cluster's certificate (the JVM's shared
 * one unless {@link RedisEnterpriseSimulator.Builder#clusterCertificate} names another), as a real
 * node reaches the cluster's CNM port. The cluster adds the node ({@link #accept}, on the
 * simulator-private path {@link #PATH}: real nodes use an internal protocol here) and from then on
 * it is in {@code /v1/nodes}. The joining node's bootstrap goes {@code initiated} -&gt; {@code
 * joining_cluster} -&gt; {@code completed}, or {@code error} with {@code access_denied} (wrong
 * credentials), {@code connect_error} (no cluster answers there; an address off loopback is never
 * tried) or {@code config_error} (already a member). Once joined, the node serves the cluster's API
 * as any node does: requests other than the bootstrap ones are passed to the cluster.
 */
final class SimulatorJoins {
  /** Where a cluster takes joining nodes; not part of the product's API. */
  static final String PATH = "/v1/simulator/join_node";

  private static final Pattern LOOPBACK = Pattern.compile("127(\\.\\d{1,3}){3}|localhost|::1");
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final SimulatorApi api;
  private final Supplier<String> ownUrl;
  private final String clusterPem;
  private final Map<String, Integer> members = new LinkedHashMap<>();
  private volatile URI cluster;
  private volatile HttpClient http;

  SimulatorJoins(SimulatorApi api, Supplier<String> ownUrl, String clusterPem) {
    this.api = api;
    this.ownUrl = ownUrl;
    this.clusterPem = clusterPem;
  }

  /** The joining side. Not under the simulator's lock while it talks to the cluster. */
  Reply join(JsonNode body) {
    String[] invalid = bodyProblem(body);
    if (invalid != null) {
      return Reply.error(400, invalid[0], invalid[1]);
    }
    Reply busy = api.beginJoin();
    if (busy != null) {
      return busy;
    }
    String[] problem = reach(body, false);
    if (problem != null) {
      api.joinFailed(problem[0], problem[1]);
    }
    return Reply.ok(Map.of());
  }

  /**
   * {@code POST /v1/bootstrap/validate/join_cluster}: the same checks, the cluster asked whether it
   * would take the node, nothing changed: 200, 409 when this node is busy, or 406 with a {@code
   * bootstrap_status} naming the error.
   */
  Reply validate(JsonNode body) {
    String[] problem = bodyProblem(body);
    if (problem == null) {
      Reply busy = api.startable();
      if (busy != null) {
        return busy;
      }
      problem = reach(body, true);
    }
    if (problem == null) {
      return Reply.ok(Map.of());
    }
    var status = new LinkedHashMap<String, Object>();
    status.put("state", "error");
    status.put("start_time", api.clock().instant().toString());
    status.put("end_time", api.clock().instant().toString());
    status.put("error_code", problem[0]);
    status.put("error_details", Map.of("message", problem[1]));
    return new Reply(406, Map.of("bootstrap_status", status));
  }

  /** What is wrong with a join body (code, message), or null. */
  private static String[] bodyProblem(JsonNode body) {
    JsonNode addresses = body == null ? null : body.path("cluster").path("nodes");
    if (addresses == null || !addresses.isArray() || addresses.isEmpty()) {
      return new String[] {
        "config_error", "cluster.nodes must list the address of an existing cluster node"
      };
    }
    String username = body.path("credentials").path("username").asString("");
    String password = body.path("credentials").path("password").asString("");
    if (username.isBlank() || password.isEmpty()) {
      return new String[] {
        "config_error", "credentials.username and password (the cluster's admin) are required"
      };
    }
    JsonNode port = body.path("cnm_https_port");
    if (!port.isMissingNode()
        && (!port.isIntegralNumber() || port.asInt() < 1 || port.asInt() > 65535)) {
      return new String[] {"config_error", "cnm_https_port must be a port 1-65535, was " + port};
    }
    return null;
  }

  /** Tries each address of a valid body; null when a cluster took (or would take) the node. */
  private String[] reach(JsonNode body, boolean dryRun) {
    JsonNode portNode = body.path("cnm_https_port");
    int port = portNode.isMissingNode() ? 9443 : portNode.asInt();
    String username = body.path("credentials").path("username").asString();
    String password = body.path("credentials").path("password").asString();
    String[] problem = null;
    for (JsonNode address : body.path("cluster").path("nodes")) {
      problem = contact(address.asString(""), port, username, password, dryRun);
      if (problem == null) {
        return null;
      }
    }
    return problem;
  }

  /** Null when the cluster at {@code address} took this node; else the error code and message. */
  private String[] contact(
      String address, int port, String username, String password, boolean dryRun) {
    if (!LOOPBACK.matcher(address).matches()) {
      return new String[] {
        "connect_error",
        "cannot reach cluster node " + address + ": the simulator reaches loopback addresses only"
      };
    }
    // Every node of a simulated cluster answers on 127.0.0.1 at the cluster's one port.
    URI target = URI.create("https://127.0.0.1:" + port);
    HttpClient client =
        HttpClient.newBuilder()
            .sslContext(TlsContexts.sslContext(TlsTrust.pem(clusterPem)))
            .connectTimeout(TIMEOUT)
            .build();
    var node = new LinkedHashMap<String, Object>();
    node.put("api_url", ownUrl.get());
    SimulatedNode local = api.nodes(api.clock().instant()).get(0);
    node.put("software_version", local.softwareVersion());
    node.put("total_memory", local.totalMemory);
    node.put("dry_run", dryRun);
    HttpResponse<String> answer;
    try {
      answer =
          client.send(
              HttpRequest.newBuilder(target.resolve(PATH))
                  .timeout(TIMEOUT)
                  .header("Authorization", basic(username, password))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(SimulatorJson.write(node)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (SSLException e) {
      return new String[] {
        "connect_error", "the cluster at " + address + ":" + port + " has an untrusted certificate"
      };
    } catch (IOException e) {
      return new String[] {
        "connect_error", "cannot reach cluster node " + address + ":" + port + ": " + e
      };
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new String[] {"connect_error", "interrupted while joining"};
    }
    return switch (answer.statusCode()) {
      case 200 -> {
        if (dryRun) {
          yield null;
        }
        JsonNode taken = Json.mapper().readTree(answer.body());
        api.joined(
            taken.path("cluster_name").asString(), username, password, taken.path("uid").asInt());
        cluster = target;
        http = client;
        yield null;
      }
      case 401 ->
          new String[] {"access_denied", "the cluster refused the credentials of " + username};
      case 409 -> new String[] {"config_error", "this node is already a member of the cluster"};
      default ->
          new String[] {
            "connect_error",
            "cluster node " + address + ":" + port + " answered " + answer.statusCode()
          };
    };
  }

  /** The cluster side: adds the node (called authenticated, under no other lock). */
  Reply accept(JsonNode body) {
    String url = body == null ? "" : body.path("api_url").asString("");
    String software = body == null ? "" : body.path("software_version").asString("");
    long memory = body == null ? 0 : body.path("total_memory").asLong(0);
    if (url.isEmpty() || !SimulatedNode.known(software) || memory <= 0) {
      return Reply.error(400, "invalid_schema", "api_url, software_version and total_memory");
    }
    synchronized (api) {
      if (members.containsKey(url)) {
        return Reply.error(409, "node_already_member", url + " is node " + members.get(url));
      }
      if (body.path("dry_run").asBoolean(false)) {
        return Reply.ok(Map.of("cluster_name", api.clusterName()));
      }
      SimulatedNode node = api.addNode(software, memory);
      members.put(url, node.uid);
      return Reply.ok(Map.of("uid", node.uid, "cluster_name", api.clusterName()));
    }
  }

  /** Whether this node joined a cluster whose API it now serves. */
  boolean member() {
    return cluster != null && api.bootstrapped();
  }

  /** Passes a request to the cluster this node joined, answering with the cluster's answer. */
  Reply forward(HttpExchange exchange, String raw) {
    URI uri =
        cluster.resolve(
            exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null
                    ? ""
                    : "?" + exchange.getRequestURI().getRawQuery()));
    var request =
        HttpRequest.newBuilder(uri)
            .timeout(TIMEOUT)
            .method(
                exchange.getRequestMethod(),
                raw.isEmpty()
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(raw));
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    if (auth != null) {
      request.header("Authorization", auth);
    }
    request.header("Content-Type", "application/json");
    try {
      HttpResponse<String> answer =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(
          answer.statusCode(),
          answer.body().isEmpty() ? null : Json.mapper().readTree(answer.body()));
    } catch (IOException e) {
      return Reply.error(503, "cluster_unreachable", "the cluster does not answer: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Reply.error(503, "cluster_unreachable", "interrupted");
    }
  }

  private static String basic(String username, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
