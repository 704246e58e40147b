package dev.opsflow.redis.enterprise.steps;

import dev.opsflow.redis.enterprise.client.RedisEnterpriseClient;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.http.HttpSettings;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Gives a step the client for the run's cluster. Steps are stateless, so they ask for a client per
 * execution; the default {@link #fromContext()} builds it from the run's connection inputs ({@link
 * RedisEnterpriseKeys#URL}, {@code USERNAME}, {@code PASSWORD}, {@code CA_CERT_FILE}, {@code
 * INSECURE}) and keeps one client per distinct settings, so the steps of a run share connections.
 * Implementations must be thread-safe.
 */
@FunctionalInterface
public interface ClusterClientFactory {

  /**
   * The client for the cluster this run works on.
   *
   * @param ctx the step's context, with the run's connection inputs
   * @return the client
   */
  RedisEnterpriseClient client(StepContext ctx);

  /**
   * Builds the client from the run's connection inputs, TLS verified by the JDK trust store.
   *
   * @return the factory
   */
  static ClusterClientFactory fromContext() {
    return fromContext(UnaryOperator.identity());
  }

  /**
   * Builds the client from the run's connection inputs, then adjusts its settings: {@code
   * simulator.trustCertificate()}, a longer timeout, a custom CA.
   *
   * @param adjust changes the settings before the client is built
   * @return the factory
   */
  static ClusterClientFactory fromContext(UnaryOperator<HttpSettings> adjust) {
    Objects.requireNonNull(adjust, "adjust must not be null");
    var clients = new ConcurrentHashMap<HttpSettings, RedisEnterpriseClient>();
    return ctx -> {
      HttpSettings settings =
          RedisEnterpriseClient.settings(
              ctx.require(RedisEnterpriseKeys.URL),
              ctx.require(RedisEnterpriseKeys.USERNAME),
              ctx.require(RedisEnterpriseKeys.PASSWORD));
      Path ca = ctx.get(RedisEnterpriseKeys.CA_CERT_FILE).orElse(null);
      if (ca != null) {
        settings = settings.withTrustedPemFile(ca);
      }
      if (ctx.get(RedisEnterpriseKeys.INSECURE).orElse(false)) {
        settings = settings.withTrustAll();
      }
      HttpSettings adjusted = adjust.apply(settings);
      // One client per distinct endpoint and credentials: steps of a run share its connections.
      if (clients.size() > 32) {
        clients.clear();
      }
      return clients.computeIfAbsent(adjusted, RedisEnterpriseClient::create);
    };
  }
}
