package dev.opsflow.redis.cloud.steps;

import dev.opsflow.redis.cloud.client.Database;
import dev.opsflow.redis.cloud.client.DatabaseSecurity;
import dev.opsflow.redis.cloud.client.RedisCloudClient;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.WorkflowException;
import dev.opsflow.workflow.http.TlsContexts;
import dev.opsflow.workflow.http.TlsTrust;
import dev.opsflow.workflow.resp.RespPing;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * Sends PING over RESP to the public endpoint of every database of {@link CloudKeys#DATABASE_IDS}
 * (every region of an Active-Active one), with TLS and AUTH when the database has them. The
 * password is read from the API here and never stored, logged or output. A connection failure is
 * retryable (give the step a retry policy: a fresh endpoint may take a moment to accept).
 */
public final class VerifyConnectivityStep implements Step {
  private final RedisCloudClient client;
  private final SSLContext tls;

  /** A step using {@code client} and the JVM's default TLS trust. */
  public VerifyConnectivityStep(RedisCloudClient client) {
    this(client, null);
  }

  /**
   * A step using {@code client} and {@code tls} for databases with TLS (null: the JVM's default
   * trust; {@code TlsContexts.sslContext(trust)} makes one for a {@code TlsTrust}). The certificate
   * must name the endpoint's host.
   */
  public VerifyConnectivityStep(RedisCloudClient client, SSLContext tls) {
    this.client = client;
    this.tls = tls;
  }

  @Override
  public String name() {
    return "verify-connectivity";
  }

  @Override
  public void run(StepContext ctx) {
    long sub = ctx.require(CloudKeys.SUBSCRIPTION_ID);
    boolean essentials = ctx.get(CloudKeys.ESSENTIALS).orElse(false);
    var checked = new ArrayList<String>();
    for (Object value : ctx.require(CloudKeys.DATABASE_IDS).values()) {
      long id = ((Number) value).longValue();
      Database db =
          (essentials ? client.fixedDatabase(sub, id) : client.database(sub, id))
              .orElseThrow(
                  () ->
                      new WorkflowException(
                          ErrorKind.REMOTE_FAILURE,
                          "database " + id + " vanished before its connectivity check"));
      var targets = new ArrayList<Target>();
      if (db.crdbDatabases() != null && !db.crdbDatabases().isEmpty()) {
        db.crdbDatabases()
            .forEach(
                r ->
                    targets.add(
                        new Target(
                            r.region(),
                            r.publicEndpoint(),
                            r.security() != null ? r.security() : db.securityOrNone())));
      } else {
        targets.add(new Target(null, db.endpoint().orElse(null), db.securityOrNone()));
      }
      for (Target target : targets) {
        if (target.endpoint() == null) {
          throw new WorkflowException(
              ErrorKind.REMOTE_FAILURE,
              "database "
                  + id
                  + " has no public endpoint to check"
                  + (target.region() == null ? "" : " in " + target.region()));
        }
        DatabaseSecurity sec = target.security();
        ctx.subTask("PING " + target.endpoint() + (sec.tls() ? " (TLS)" : ""));
        RespPing ping =
            RespPing.to(target.endpoint()).withPassword(sec.passwordIfAny().orElse(null));
        if (sec.tls()) {
          ping = ping.withTls(tls != null ? tls : TlsContexts.sslContext(TlsTrust.system()));
        }
        ping.ping();
        checked.add(target.endpoint() + " PONG");
      }
    }
    ctx.output("connectivity", List.copyOf(checked));
  }

  @Override
  public String describe(StepContext ctx) {
    return "PING each database's public endpoint";
  }

  private record Target(String region, String endpoint, DatabaseSecurity security) {}
}
