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
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * Sends PING over RESP to the public endpoint of every database of {@link CloudKeys#DATABASE_IDS}
 * (every region of an Active-Active one), with TLS and AUTH when the database has them. The
 * password is read from the API here and never stored, logged or output. A connection failure is
 * retryable (give the step a retry policy: a fresh endpoint may take a moment to accept); a
 * certificate the trust does not accept is not (a CONFIGURATION error naming the endpoint).
 *
 * <p>TLS is verified: the certificate must chain to the trust given and name the endpoint's host.
 * By default the trust is the JVM's trust store; {@link TlsTrust#trustAll()} is honoured only when
 * passed explicitly, and logged as a WARN at each use.
 */
public final class VerifyConnectivityStep implements Step {
  private final RedisCloudClient client;
  private final SSLContext tls;
  private final TlsTrust trust;

  /**
   * A step using {@code client} and the JVM's default TLS trust.
   *
   * @param client the Redis Cloud client the step calls
   */
  public VerifyConnectivityStep(RedisCloudClient client) {
    this(client, (SSLContext) null);
  }

  /**
   * A step using {@code client} and {@code tls} for databases with TLS (null: the JVM's default
   * trust; {@code TlsContexts.sslContext(trust)} makes one for a {@code TlsTrust}). The certificate
   * must name the endpoint's host.
   *
   * @param client the Redis Cloud client the step calls
   * @param tls the TLS context to connect with, whose trust decides
   */
  public VerifyConnectivityStep(RedisCloudClient client, SSLContext tls) {
    this.client = client;
    this.tls = tls;
    this.trust = null;
  }

  /**
   * A step using {@code client} and {@code trust} for databases with TLS: {@link TlsTrust#system()}
   * (the JVM's trust store), {@link TlsTrust#pem(String)} or {@link TlsTrust#pemFile} (the
   * database's CA, such as the one Redis Cloud's console offers, read when a TLS database is
   * checked).
   *
   * @param client the Redis Cloud client the step calls
   * @param trust which certificates a TLS database's endpoint may present
   */
  public VerifyConnectivityStep(RedisCloudClient client, TlsTrust trust) {
    this.client = client;
    this.tls = null;
    this.trust = Objects.requireNonNull(trust, "trust must not be null");
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
    SSLContext context = null;
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
          context = context != null ? context : context(ctx);
          ping = ping.withTls(context);
        }
        try {
          ping.ping();
        } catch (WorkflowException e) {
          throw sec.tls() ? untrusted(e, id, target.endpoint()) : e;
        }
        checked.add(target.endpoint() + (sec.tls() ? " PONG (TLS)" : " PONG"));
      }
    }
    ctx.output("connectivity", List.copyOf(checked));
  }

  @Override
  public String describe(StepContext ctx) {
    return "PING each database's public endpoint";
  }

  private SSLContext context(StepContext ctx) {
    if (tls != null) {
      return tls;
    }
    TlsTrust chosen = trust != null ? trust : TlsTrust.system();
    if (chosen instanceof TlsTrust.TrustAll) {
      ctx.log()
          .warn(
              "{} accepts any certificate and host name of the database endpoints"
                  + " (TlsTrust.trustAll()): for test systems only",
              name());
    }
    return TlsContexts.sslContext(chosen);
  }

  /**
   * {@code e} as a CONFIGURATION error (not retried) when the endpoint's certificate was refused:
   * not trusted, or not naming the host; else {@code e} itself.
   */
  private static WorkflowException untrusted(WorkflowException e, long id, String endpoint) {
    CertificateException refused = null;
    for (Throwable t = e.getCause(); t != null && refused == null; t = t.getCause()) {
      if (t instanceof CertificateException c) {
        refused = c;
      }
    }
    if (refused == null) {
      return e;
    }
    var details = new LinkedHashMap<String, Object>(e.details());
    details.put("databaseId", id);
    details.put("endpoint", endpoint);
    return new WorkflowException(
        ErrorKind.CONFIGURATION,
        "the TLS certificate of database "
            + id
            + " at "
            + endpoint
            + " is not trusted: "
            + Objects.toString(refused.getMessage(), refused.getClass().getSimpleName()),
        e,
        false,
        details,
        List.of(
            "trust the database's CA certificate: RedisCloudWorkflows.registerAll(registry,"
                + " client, TlsTrust.pemFile(caFile)); Redis Cloud's console offers it"
                + " (Download CA certificates)",
            "check that the certificate names the endpoint's host"));
  }

  private record Target(String region, String endpoint, DatabaseSecurity security) {}
}
