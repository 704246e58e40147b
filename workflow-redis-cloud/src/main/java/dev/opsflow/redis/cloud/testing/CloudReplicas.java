package dev.opsflow.redis.cloud.testing;

import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.WorkflowException;
import dev.opsflow.workflow.resp.RespConnection;
import dev.opsflow.workflow.testing.RedisEndpoint;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Replica Of on the simulated Pro databases: a database update with {@code replica: {syncSources:
 * [{endpoint: "redis://user:password@host:port"}]}} ({@code ReplicaOfSpec}) makes the database's
 * redis-server {@code REPLICAOF} the first source, with {@code masterauth} from the URI (one source
 * is replicated: REPLICAOF has one master); an empty list detaches it, keeping the data it has
 * ({@code REPLICAOF NO ONE}). The answers hold the sources without their credentials, as the
 * OpenAPI's example shows them. The Cloud API reports no sync status: a client checks the data.
 */
final class CloudReplicas {
  private static final Pattern URI =
      Pattern.compile("redis://(?:([^:@/]*):([^@/]*)@)?([^:@/]+):(\\d{1,5})/?");
  private static final Pattern URI_PASSWORD = Pattern.compile("(rediss?://[^:@/\"]*:)[^@/\"]*@");
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private CloudReplicas() {}

  /**
   * What is wrong with a {@code replica} update of {@code d}, as {code, description} with the API's
   * error codes, or null.
   */
  static String[] problem(CloudState.Sub s, CloudState.Db d, JsonNode replica) {
    JsonNode sources = replica.path("syncSources");
    if (!sources.isArray()) {
      return new String[] {"DATABASE_INVALID_REPLICA", "replica.syncSources must be an array"};
    }
    if ("active-active".equals(s.deploymentType)) {
      return new String[] {
        "ACTIVE_ACTIVE_DATABASE_REPLICA_OF_NOT_SUPPORTED",
        "an Active-Active database cannot be a Replica Of"
      };
    }
    for (JsonNode source : sources) {
      Matcher m = URI.matcher(source.path("endpoint").asString(""));
      if (!m.matches()) {
        return new String[] {
          "DATABASE_REPLICA_OF_BAD_URI",
          "syncSources[].endpoint must be redis://[user:password@]host:port"
        };
      }
      String address = loopback(m.group(3)) + ":" + m.group(4);
      if (d.endpoints.stream().anyMatch(e -> e.address().equals(address))) {
        return new String[] {"DATABASE_REPLICA_CYCLE", "a database cannot replicate itself"};
      }
      if (source.path("encryption").asBoolean(false)) {
        return new String[] {
          "DATABASE_REPLICA_OF_NOT_SUPPORTED",
          "the simulator replicates plain-TCP sources only (encryption is not modelled)"
        };
      }
    }
    if (sources.size() > 0 && !redisServer(d)) {
      return new String[] {
        "DATABASE_REPLICA_OF_NOT_SUPPORTED",
        "the simulator's Replica Of needs a redis-server behind the database (none installed, or"
            + " TLS)"
      };
    }
    return null;
  }

  /** {@code replica} as the answers show it: each endpoint without user and password. */
  static ObjectNode publicForm(JsonNode replica) {
    ObjectNode out = F.objectNode();
    ArrayNode sources = out.putArray("syncSources");
    for (JsonNode source : replica.path("syncSources")) {
      ObjectNode copy = ((ObjectNode) source).deepCopy();
      Matcher m = URI.matcher(source.path("endpoint").asString(""));
      if (m.matches()) {
        copy.put("endpoint", "redis://" + m.group(3) + ":" + m.group(4));
      }
      copy.put("encryption", source.path("encryption").asBoolean(false));
      sources.add(copy);
    }
    return out;
  }

  /** A request body with the passwords of {@code redis://} URIs replaced by {@code ****}. */
  static JsonNode redacted(JsonNode body) {
    if (body == null || !body.toString().contains("://")) {
      return body;
    }
    String text = URI_PASSWORD.matcher(body.toString()).replaceAll("$1" + Secret.MASK + "@");
    return dev.opsflow.workflow.Json.mapper().readTree(text);
  }

  /**
   * Points {@code d}'s redis-server at the first source (or at none), as the service applies the
   * update; with {@code stuck}, the sync never connects.
   */
  static void apply(CloudState.Db d, JsonNode replica, boolean stuck) {
    if (!redisServer(d)) {
      return;
    }
    JsonNode sources = replica.path("syncSources");
    try (RespConnection c = connect(d)) {
      if (sources.isEmpty()) {
        c.call("REPLICAOF", "NO", "ONE");
        return;
      }
      if (stuck) {
        return;
      }
      Matcher m = URI.matcher(sources.get(0).path("endpoint").asString(""));
      if (!m.matches()) {
        return;
      }
      c.call("CONFIG", "SET", "masterauth", m.group(2) == null ? "" : m.group(2));
      c.call("REPLICAOF", loopback(m.group(3)), m.group(4));
      // The copy runs in real time while a test's clock may skip minutes: let it catch up
      // (bounded) before the task completes, so the data never lags the simulated time.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!inSync(c) && System.nanoTime() < deadline) {
        LockSupport.parkNanos(10_000_000);
      }
    } catch (WorkflowException e) {
      // The endpoint went away (the database is being deleted): nothing to replicate into.
    }
  }

  private static boolean inSync(RespConnection c) {
    String info = c.text("INFO", "replication");
    return info.contains("master_link_status:up") && info.contains("master_sync_in_progress:0");
  }

  private static boolean redisServer(CloudState.Db d) {
    return !d.endpoints.isEmpty() && d.endpoints.get(0).kind().equals("redis-server");
  }

  private static RespConnection connect(CloudState.Db d) {
    RedisEndpoint endpoint = d.endpoints.get(0);
    return RespConnection.open(
        "127.0.0.1",
        endpoint.port(),
        d.password == null || d.password.isEmpty() ? null : Secret.of(d.password),
        null,
        TIMEOUT);
  }

  /** The simulator's endpoint names resolve to loopback, where its redis-servers listen (IPv4). */
  private static String loopback(String host) {
    return host.equals("localhost") ? "127.0.0.1" : host;
  }
}
