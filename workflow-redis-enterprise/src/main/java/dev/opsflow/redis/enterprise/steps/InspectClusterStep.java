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
 * <p>When the node is not bootstrapped ({@code idle} or {@code error}), it also has the node
 * validate this run's bootstrap ({@code POST /v1/bootstrap/validate/create_cluster}, which changes
 * nothing): a 406 (an invalid license, a missing name) fails here as a VALIDATION error naming the
 * API's error code, before anything is changed; a node without validation (404, 405) is not
 * validated.
 *
 * <p>A 401 here means the node already belongs to a cluster that refuses these credentials (the
 * endpoint needs no auth before bootstrap): an AUTH failure, not retried.
 */
public final class InspectClusterStep extends ClusterStep {

  /**
   * The step, named {@code inspect-cluster}.
   *
   * @param clients how the step gets the client of the run's cluster
   */
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
    if ((state.equals("idle") || state.equals("error"))
        && ctx.get(RedisEnterpriseKeys.CLUSTER_NAME).isPresent()) {
      validate(ctx, state);
    }
  }

  /**
   * Asks the node whether it would accept this run's bootstrap ({@code POST
   * /v1/bootstrap/validate/create_cluster}, which changes nothing), so a bad license or
   * configuration fails here, in dry runs too, before anything is changed.
   */
  private void validate(StepContext ctx, String state) {
    ctx.subTask("Validating the bootstrap configuration");
    try {
      client(ctx).validateCluster(BootstrapClusterStep.request(ctx));
    } catch (ApiException e) {
      if (e.status() == 404 || e.status() == 405) {
        ctx.log()
            .info("the node does not offer bootstrap validation ({}): not validated", e.status());
        return;
      }
      if (e.status() != 406) {
        throw e;
      }
      throw new WorkflowException(
          ErrorKind.VALIDATION,
          "the node at "
              + ctx.get(RedisEnterpriseKeys.URL).orElse("?")
              + " refuses this bootstrap configuration: "
              + e.getMessage(),
          e,
          false,
          e.errorCode() == null
              ? Map.of("status", 406)
              : Map.of("status", 406, "errorCode", e.errorCode()),
          List.of(
              "fix the inputs it names (license, cluster name, credentials) and run again;"
                  + " nothing was changed: the node is still "
                  + state));
    }
  }

  @Override
  public boolean readOnly() {
    return true;
  }

  @Override
  public String describe(StepContext ctx) {
    return "read the node's bootstrap status (GET /v1/bootstrap) and, before a bootstrap, validate"
        + " its configuration (POST /v1/bootstrap/validate/create_cluster)";
  }
}
