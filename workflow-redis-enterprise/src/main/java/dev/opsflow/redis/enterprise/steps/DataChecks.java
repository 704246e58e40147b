package dev.opsflow.redis.enterprise.steps;

import dev.opsflow.redis.enterprise.client.Database;
import dev.opsflow.redis.enterprise.client.DatabaseEndpoint;
import dev.opsflow.redis.enterprise.client.RedisEnterpriseClient;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.WorkflowException;
import dev.opsflow.workflow.http.TlsContexts;
import dev.opsflow.workflow.resp.RespConnection;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * Checks of a database's data through its endpoint, over RESP (TLS and AUTH as the database
 * requires): a PING and a key round trip ({@code SET} with a 60 s expiry, {@code GET}, {@code
 * DEL}), the key count, and a comparison of a sample of keys between two databases by their {@code
 * DUMP} payloads (type, value and encoding, whatever the type). Stateless.
 */
public final class DataChecks {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private DataChecks() {}

  /**
   * Connects to the database's endpoint: its DNS name, then each address.
   *
   * @param client the client of the database's cluster
   * @param db the database
   * @return the open connection; close it when done
   */
  public static RespConnection connect(RedisEnterpriseClient client, Database db) {
    DatabaseEndpoint endpoint =
        db.primaryEndpoint()
            .orElseThrow(
                () ->
                    new WorkflowException(
                        ErrorKind.PROTOCOL, "database " + db.uid() + " has no endpoint"));
    SSLContext tls = db.requiresTls() ? TlsContexts.sslContext(client.settings().tls()) : null;
    WorkflowException last = null;
    for (String host : endpoint.hosts()) {
      try {
        return RespConnection.open(
            host, endpoint.port(), db.passwordIfSet().orElse(null), tls, TIMEOUT);
      } catch (WorkflowException e) {
        if (e.kind() == ErrorKind.AUTH) {
          throw e;
        }
        last = e;
      }
    }
    throw last != null
        ? last
        : new WorkflowException(ErrorKind.PROTOCOL, "database " + db.uid() + " has no host");
  }

  /**
   * PING, then {@code SET key value PX 60000}, {@code GET}, {@code DEL}: the database serves reads
   * and writes.
   *
   * @param client the client of the database's cluster
   * @param db the database
   * @param runId the run's id, in the test key's name
   * @return the endpoint that answered, {@code host:port}
   * @throws WorkflowException REMOTE_FAILURE when the value read back differs
   */
  public static String roundTrip(RedisEnterpriseClient client, Database db, String runId) {
    try (RespConnection redis = connect(client, db)) {
      redis.call("PING");
      String key = "opsflow:check:" + runId;
      String value = "written-by-" + runId;
      redis.call("SET", key, value, "PX", "60000");
      String read = redis.text("GET", key);
      redis.call("DEL", key);
      if (!value.equals(read)) {
        throw new WorkflowException(
            ErrorKind.REMOTE_FAILURE,
            "database " + db.uid() + " at " + redis.where() + " read back '" + read + "'");
      }
      return redis.where();
    }
  }

  /**
   * {@code DBSIZE}.
   *
   * @param client the client of the database's cluster
   * @param db the database
   * @return how many keys the database holds
   */
  public static long keyCount(RedisEnterpriseClient client, Database db) {
    try (RespConnection redis = connect(client, db)) {
      return redis.number("DBSIZE");
    }
  }

  /**
   * The keys of a sample (up to {@code size}, by {@code SCAN}) of {@code source} whose {@code DUMP}
   * payload differs in {@code target} or is missing there.
   *
   * @param sourceClient the client of the source's cluster
   * @param source the source database
   * @param targetClient the client of the target's cluster
   * @param target the target database
   * @param size the most keys to sample
   * @return the sampled keys that differ, empty when the sample agrees
   */
  public static List<String> differingKeys(
      RedisEnterpriseClient sourceClient,
      Database source,
      RedisEnterpriseClient targetClient,
      Database target,
      int size) {
    try (RespConnection from = connect(sourceClient, source);
        RespConnection to = connect(targetClient, target)) {
      return RespConnection.differingKeys(from, to, size);
    }
  }
}
