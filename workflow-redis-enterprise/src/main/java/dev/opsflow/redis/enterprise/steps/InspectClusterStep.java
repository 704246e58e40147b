package dev.opsflow.redis.enterprise.steps;

import dev.opsflow.redis.enterprise.client.BootstrapInfo;
import dev.opsflow.workflow.ApiException;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.WorkflowException;
import java.util.List;
import java.util.Map;

/**
 * Reads the node's bootstrap state ({@code GET /v1/bootstrap}, the nested {@code
 * bootstrap_status.state}) into {@link RedisEnterpriseKeys#BOOTSTRAP_STATE}, so later steps know
 * whether to bootstrap, wait for a running bootstrap, or skip. Read-only: it runs in dry runs.
 *
 * <p>A 401 here means the node already belongs to a cluster that refuses these credentials (the
 * endpoint needs no auth before bootstrap): an AUTH failure, not retried.
 */
public final class InspectClusterStep extends ClusterStep {

  /** The step, named {@code inspect-cluster}. */
  public InspectClusterStep(ClusterClientFactory clients) {
    super("inspect-cluster", clients);
  }

  @Override
  public void run(StepContext ctx) {
    ctx.subTask("Reading the bootstrap status of " + ctx.get(RedisEnterpriseKeys.URL).orElse("?"));
    BootstrapInfo info;
    try {
      info = client(ctx).bootstrap();
    } catch (ApiException e) {
      if (e.status() == 401) {
        throw new WorkflowException(
            ErrorKind.AUTH,
            "the node at "
                + ctx.get(RedisEnterpriseKeys.URL).orElse("?")
                + " already belongs to a cluster, which"
                + " refused the credentials of '"
                + ctx.get(RedisEnterpriseKeys.USERNAME).orElse("?")
                + "' (401)",
            e,
            false,
            Map.of("status", 401),
            List.of(
                "check the username and password of the existing cluster",
                "an initialised cluster is never bootstrapped again"));
      }
      throw e;
    }
    String state = info.state();
    ctx.put(RedisEnterpriseKeys.BOOTSTRAP_STATE, state);
    ctx.log().info("bootstrap state: {}", info.status() == null ? state : info.status().describe());
  }

  @Override
  public boolean readOnly() {
    return true;
  }

  @Override
  public String describe(StepContext ctx) {
    return "read the node's bootstrap status (GET /v1/bootstrap)";
  }
}
