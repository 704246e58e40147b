package dev.opsflow.redis.enterprise.steps;

import dev.opsflow.redis.enterprise.client.Database;
import dev.opsflow.redis.enterprise.client.DatabaseEndpoint;
import dev.opsflow.workflow.Await;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Poll;
import dev.opsflow.workflow.Polling;
import dev.opsflow.workflow.PollingStep;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.WorkflowException;
import dev.opsflow.workflow.http.TlsContexts;
import dev.opsflow.workflow.resp.RespPing;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Verifies that the database answers: a real {@code PING} over RESP to its endpoint, after {@code
 * AUTH} when it has a password, over TLS (verified against the same trust as the API) when it
 * requires it (the chain, not the host name: the endpoint's addresses are not in the proxy
 * certificate). Tries the endpoint's DNS name, then its addresses; retries for up to a minute while
 * the endpoint comes up. Records the endpoint that answered ({@code host:port}). Read-only; skipped
 * with {@code skipDatabase} and in a dry run before the database exists. A {@link PollingStep}:
 * each poll reads the database ({@code GET /v1/bdbs/{uid}}) and PINGs it once; in a started run it
 * holds no thread between polls.
 */
public final class VerifyDatabaseConnectivityStep extends ClusterStep implements PollingStep {
  private static final Duration PING_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration PING_WAIT = Duration.ofMinutes(1);

  /**
   * The step, named {@code verify-database-connectivity}.
   *
   * @param clients how the step gets the client of the run's cluster
   */
  public VerifyDatabaseConnectivityStep(ClusterClientFactory clients) {
    super("verify-database-connectivity", clients);
  }

  @Override
  public Optional<String> precheck(StepContext ctx) {
    if (skipDatabase(ctx)) {
      return Optional.of("skipDatabase: no database to check");
    }
    if (ctx.isDryRun() && ctx.get(RedisEnterpriseKeys.DATABASE_ID).isEmpty()) {
      return Optional.of("dry run: the database does not exist yet");
    }
    return Optional.empty();
  }

  @Override
  public Poll poll(StepContext ctx, Polling polling) {
    var client = client(ctx);
    int uid = ctx.require(RedisEnterpriseKeys.DATABASE_ID);
    Database db = client.database(uid);
    DatabaseEndpoint endpoint =
        db.primaryEndpoint()
            .orElseThrow(
                () ->
                    afterBootstrap(
                        ctx,
                        new WorkflowException(
                            ErrorKind.PROTOCOL, "database " + uid + " has no endpoint")));
    SSLContext tls = db.requiresTls() ? TlsContexts.sslContext(client.settings().tls()) : null;
    if (polling.count() == 1) {
      ctx.subTask(
          "PING "
              + endpoint.display()
              + (tls != null ? " over TLS" : "")
              + (db.passwordIfSet().isPresent() ? " with AUTH" : ""));
    }
    try {
      RespPing ping =
          RespPing.to(endpoint.hosts(), endpoint.port())
              .withPassword(db.passwordIfSet().orElse(null))
              .withTls(tls)
              .withoutHostnameVerification()
              .withTimeout(PING_TIMEOUT);
      var answered = new RespPing.Result[1];
      Poll poll =
          Await.<RespPing.Result>on(ctx, "PING of " + endpoint.display())
              .every(Duration.ofSeconds(1))
              .backoff(2)
              .atMost(Duration.ofSeconds(10))
              .timeout(PING_WAIT)
              .poll(polling, () -> answered[0] = ping.ping(), r -> true, RespPing.Result::endpoint);
      if (poll.isDone()) {
        String where = answered[0].endpoint();
        ctx.put(RedisEnterpriseKeys.DATABASE_ENDPOINT, where);
        ctx.log()
            .info(
                "database {} answered PING at {}{}", uid, where, answered[0].tls() ? " (TLS)" : "");
      }
      return poll;
    } catch (WorkflowException e) {
      throw afterBootstrap(
          ctx,
          e,
          "the database exists but did not answer PING: check the"
              + " network path to "
              + endpoint.display()
              + " and its password and TLS settings");
    }
  }

  @Override
  public boolean readOnly() {
    return true;
  }

  @Override
  public String describe(StepContext ctx) {
    return "PING the database endpoint (RESP over TCP, AUTH and TLS when required)";
  }
}
