package dev.opsflow.redis.enterprise.steps;

import dev.opsflow.redis.enterprise.client.ClusterInfo;
import dev.opsflow.workflow.ApiException;
import dev.opsflow.workflow.StepContext;
import java.util.Optional;

/**
 * Checks that the admin credentials work on the bootstrapped cluster ({@code GET /v1/cluster}) and
 * records the cluster's actual name (output {@code cluster_name}) and the user (output {@code
 * username}). Read-only; in a dry run on a node not bootstrapped yet it is skipped, since there is
 * no cluster to ask.
 */
public final class VerifyCredentialsStep extends ClusterStep {

  /**
   * The step, named {@code verify-credentials}.
   *
   * @param clients how the step gets the client of the run's cluster
   */
  public VerifyCredentialsStep(ClusterClientFactory clients) {
    super("verify-credentials", clients);
  }

  @Override
  public Optional<String> precheck(StepContext ctx) {
    if (ctx.isDryRun() && !bootstrappedBefore(ctx)) {
      return Optional.of(
          "dry run: the node is not bootstrapped yet, so there is no cluster to"
              + " check the credentials against");
    }
    return Optional.empty();
  }

  @Override
  public void run(StepContext ctx) {
    String user = ctx.require(RedisEnterpriseKeys.USERNAME);
    ctx.subTask("Checking the credentials of '" + user + "'");
    ClusterInfo cluster;
    try {
      cluster = client(ctx).cluster();
    } catch (ApiException e) {
      throw afterBootstrap(
          ctx,
          e,
          e.status() == 401
              ? "the cluster refused the credentials of '" + user + "': check the password given"
              : "check that the cluster answers GET /v1/cluster");
    }
    ctx.put(RedisEnterpriseKeys.ACTUAL_CLUSTER_NAME, cluster.name());
    ctx.output("cluster_name", cluster.name());
    ctx.output("username", user);
  }

  @Override
  public boolean readOnly() {
    return true;
  }

  @Override
  public String describe(StepContext ctx) {
    return "check the admin credentials (GET /v1/cluster)";
  }
}
