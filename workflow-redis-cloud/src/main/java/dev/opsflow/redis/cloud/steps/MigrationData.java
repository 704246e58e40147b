package dev.opsflow.redis.cloud.steps;

import dev.opsflow.redis.cloud.client.Database;
import dev.opsflow.redis.cloud.client.RedisCloudClient;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.WorkflowException;
import dev.opsflow.workflow.http.TlsContexts;
import dev.opsflow.workflow.http.TlsTrust;
import dev.opsflow.workflow.resp.RespConnection;
import java.time.Duration;
import java.util.List;

/**
 * What the migration steps share: the target database (read fresh each time, never kept: it holds
 * its password), RESP connections to the source and the target, and the key counts and sampled
 * comparison that tell whether the copy is complete. The Cloud API reports no Replica Of sync
 * status, so the data is the measure. Stateless.
 */
final class MigrationData {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private MigrationData() {}

  static Database target(RedisCloudClient client, StepContext ctx) {
    long sub = ctx.require(CloudKeys.SUBSCRIPTION_ID);
    long id = ctx.require(MigrationKeys.DATABASE_ID);
    return client
        .database(sub, id)
        .orElseThrow(
            () ->
                new WorkflowException(
                    ErrorKind.VALIDATION,
                    "subscription " + sub + " has no Pro database " + id,
                    null,
                    false,
                    java.util.Map.of("subscriptionId", sub, "databaseId", id),
                    List.of(
                        "check subscriptionId and databaseId (GET /subscriptions/{id}/databases)")));
  }

  /** The {@code redis://[user:password@]host:port} URI the service logs in to the source with. */
  static String sourceUri(StepContext ctx) {
    String endpoint = ctx.require(MigrationKeys.SOURCE_ENDPOINT);
    var password = ctx.get(MigrationKeys.SOURCE_PASSWORD).map(Secret::reveal).orElse(null);
    String user = ctx.get(MigrationKeys.SOURCE_USER).orElse("");
    return "redis://" + (password == null ? "" : user + ":" + password + "@") + endpoint;
  }

  static RespConnection source(StepContext ctx) {
    String endpoint = ctx.require(MigrationKeys.SOURCE_ENDPOINT);
    int colon = endpoint.lastIndexOf(':');
    return RespConnection.open(
        endpoint.substring(0, colon),
        Integer.parseInt(endpoint.substring(colon + 1)),
        ctx.get(MigrationKeys.SOURCE_PASSWORD).orElse(null),
        null,
        TIMEOUT);
  }

  static RespConnection target(Database db, TlsTrust trust) {
    String endpoint =
        db.endpoint()
            .orElseThrow(
                () ->
                    new WorkflowException(
                        ErrorKind.REMOTE_FAILURE,
                        "database " + db.databaseId() + " has no endpoint yet"));
    int colon = endpoint.lastIndexOf(':');
    return RespConnection.open(
        endpoint.substring(0, colon),
        Integer.parseInt(endpoint.substring(colon + 1)),
        db.securityOrNone().passwordIfAny().orElse(null),
        db.securityOrNone().tls() ? TlsContexts.sslContext(trust) : null,
        TIMEOUT);
  }

  /**
   * The copy as it stands: both key counts and the sampled keys that differ.
   *
   * @param sample how many of the source's keys to compare
   */
  static Comparison compare(StepContext ctx, Database target, TlsTrust trust, int sample) {
    try (RespConnection from = source(ctx);
        RespConnection to = target(target, trust)) {
      long sourceKeys = from.number("DBSIZE");
      long targetKeys = to.number("DBSIZE");
      List<String> differing = RespConnection.differingKeys(from, to, sample);
      return new Comparison(sourceKeys, targetKeys, differing);
    }
  }

  /** Key counts and the sampled keys that differ. */
  record Comparison(long sourceKeys, long targetKeys, List<String> differing) {
    boolean complete() {
      return sourceKeys == targetKeys && differing.isEmpty();
    }

    String describe() {
      return "the target has "
          + targetKeys
          + " keys, the source "
          + sourceKeys
          + (differing.isEmpty()
              ? ""
              : "; keys that differ: " + differing.subList(0, Math.min(10, differing.size())));
    }
  }
}
