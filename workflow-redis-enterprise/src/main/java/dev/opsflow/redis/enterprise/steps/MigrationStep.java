package dev.opsflow.redis.enterprise.steps;

import dev.opsflow.redis.enterprise.client.Database;
import dev.opsflow.redis.enterprise.client.DatabaseEndpoint;
import dev.opsflow.redis.enterprise.client.RedisEnterpriseClient;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.http.HttpSettings;
import java.nio.file.Path;
import tools.jackson.databind.JsonNode;

/**
 * The base of the migrate-database steps: the target cluster's client ({@code targetUrl} and its
 * credentials, else the source cluster's) and the Replica Of source URI, built when needed and
 * never stored (it holds the source's password).
 */
public abstract class MigrationStep extends ClusterStep {

  /**
   * A migration step named {@code name}.
   *
   * @param name the step's name
   * @param clients how the step gets the client of the source's cluster
   */
  protected MigrationStep(String name, ClusterClientFactory clients) {
    super(name, clients);
  }

  /**
   * The client of the cluster that holds the target database.
   *
   * @param ctx the step's context
   * @return the client
   */
  protected RedisEnterpriseClient targetClient(StepContext ctx) {
    if (ctx.get(OperationKeys.TARGET_URL).isEmpty()) {
      return client(ctx);
    }
    HttpSettings settings =
        RedisEnterpriseClient.settings(
            ctx.require(OperationKeys.TARGET_URL),
            ctx.require(OperationKeys.TARGET_USERNAME),
            ctx.require(OperationKeys.TARGET_PASSWORD));
    Path ca = ctx.get(OperationKeys.TARGET_CA_CERT_FILE).orElse(null);
    return RedisEnterpriseClient.create(ca == null ? settings : settings.withTrustedPemFile(ca));
  }

  /**
   * {@code redis://admin:PASSWORD@HOST:PORT} of the source's endpoint, as Replica Of takes it (the
   * password is the source's {@code authentication_admin_pass}, else its Redis password).
   *
   * @param client the client of the source's cluster
   * @param source the source database
   * @return the URI, a secret since it holds a password
   */
  protected static Secret sourceUri(RedisEnterpriseClient client, Database source) {
    JsonNode raw = client.databaseRaw(source.uid());
    String password =
        raw.hasNonNull("authentication_admin_pass")
                && !raw.get("authentication_admin_pass").asString().isEmpty()
            ? raw.get("authentication_admin_pass").asString()
            : source.passwordIfSet().map(Secret::reveal).orElse("");
    DatabaseEndpoint endpoint = source.primaryEndpoint().orElseThrow();
    String host = endpoint.hosts().get(0);
    return Secret.of(
        "redis://"
            + (password.isEmpty() ? "" : "admin:" + password + "@")
            + host
            + ":"
            + endpoint.port());
  }

  /**
   * Whether {@code uri} names the same {@code host:port} as {@code expected}.
   *
   * @param uri a Replica Of source URI
   * @param expected the URI expected
   * @return true when both name the same endpoint
   */
  protected static boolean sameEndpoint(String uri, Secret expected) {
    String tail = expected.reveal().replaceFirst("^redis://([^@]*@)?", "");
    return uri != null && uri.replaceFirst("^redis://([^@]*@)?", "").equals(tail);
  }

  /**
   * The target's Replica Of state: its {@code replica_sync} and first source, as read now.
   *
   * @param client the client of the target's cluster
   * @param uid the target database's uid
   * @return the state, as the API answered it
   */
  protected static JsonNode replicaState(RedisEnterpriseClient client, int uid) {
    return client.databaseRaw(uid);
  }
}
