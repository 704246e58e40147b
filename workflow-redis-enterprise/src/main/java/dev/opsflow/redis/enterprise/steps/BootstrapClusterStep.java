package dev.opsflow.redis.enterprise.steps;

import dev.opsflow.redis.enterprise.client.BootstrapStatus;
import dev.opsflow.redis.enterprise.client.CreateClusterRequest;
import dev.opsflow.workflow.ApiException;
import dev.opsflow.workflow.StepContext;
import java.util.List;
import java.util.Optional;

/**
 * Starts creating the cluster ({@code POST /v1/bootstrap/create_cluster}) with the cluster name,
 * the admin credentials, the license and storage paths from the context. It does not wait: {@link
 * AwaitBootstrapStep} does.
 *
 * <p>Skipped when the node is bootstrapped already (an initialised cluster is never bootstrapped
 * again) or a bootstrap is running (then it is awaited, not started twice); only {@code idle} and
 * {@code error} start one. A 409 answer (a bootstrap started meanwhile) counts as started.
 */
public final class BootstrapClusterStep extends ClusterStep {

  /**
   * The step, named {@code bootstrap-cluster}.
   *
   * @param clients how the step gets the client of the run's cluster
   */
  public BootstrapClusterStep(ClusterClientFactory clients) {
    super("bootstrap-cluster", clients);
  }

  @Override
  public Optional<String> precheck(StepContext ctx) {
    String state =
        ctx.get(RedisEnterpriseKeys.BOOTSTRAP_STATE)
            .orElseGet(() -> client(ctx).bootstrap().state());
    var status = new BootstrapStatus(state, null, null, null, null);
    if (status.isCompleted()) {
      return Optional.of(
          "cluster already bootstrapped (bootstrap_status.state=completed):"
              + " not bootstrapping again");
    }
    if (status.isInProgress()) {
      return Optional.of(
          "a bootstrap is already in progress (state "
              + state
              + "): waiting for it instead of starting another");
    }
    return Optional.empty();
  }

  @Override
  public void run(StepContext ctx) {
    CreateClusterRequest request = request(ctx);
    ctx.subTask("Bootstrapping cluster '" + request.clusterName() + "'");
    try {
      client(ctx).createCluster(request);
    } catch (ApiException e) {
      if (e.status() != 409) {
        throw e;
      }
      // An earlier attempt's request got through, or another client started one: await it.
      ctx.log().info("bootstrap already started ({}); awaiting it", e.errorCode());
    }
    ctx.put(RedisEnterpriseKeys.BOOTSTRAP_STATE, "initiated");
  }

  /** The bootstrap this run asks for: name, admin credentials, license and paths. */
  static CreateClusterRequest request(StepContext ctx) {
    return new CreateClusterRequest(
        ctx.require(RedisEnterpriseKeys.CLUSTER_NAME),
        ctx.require(RedisEnterpriseKeys.USERNAME),
        ctx.require(RedisEnterpriseKeys.PASSWORD),
        ctx.get(RedisEnterpriseKeys.LICENSE).orElse(null),
        ctx.get(RedisEnterpriseKeys.PERSISTENT_PATH).orElse(null),
        ctx.get(RedisEnterpriseKeys.EPHEMERAL_PATH).orElse(null),
        List.of());
  }

  @Override
  public String describe(StepContext ctx) {
    return "bootstrap cluster '"
        + ctx.get(RedisEnterpriseKeys.CLUSTER_NAME).orElse("?")
        + "' with admin '"
        + ctx.get(RedisEnterpriseKeys.USERNAME).orElse("?")
        + "'"
        + (ctx.get(RedisEnterpriseKeys.LICENSE).isPresent()
            ? " and the given license"
            : " on the trial license")
        + " (POST /v1/bootstrap/create_cluster)";
  }
}
