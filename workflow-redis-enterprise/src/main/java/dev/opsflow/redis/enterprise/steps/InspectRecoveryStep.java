package dev.opsflow.redis.enterprise.steps;

import dev.opsflow.redis.enterprise.client.BootstrapInfo;
import dev.opsflow.redis.enterprise.client.RedisEnterpriseClient;
import dev.opsflow.workflow.ApiException;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.ValidationException;

/**
 * Checks the node a lost cluster is recovered on, changing nothing ({@code GET /v1/bootstrap}):
 * records its bootstrap state (a node already {@code completed} was recovered before, or is in a
 * live cluster: nothing is recovered again; one {@code recovering_cluster} is awaited). On a node
 * that may start a recovery, it makes the checks the vendor's recovery procedure asks for: the node
 * runs the same Redis Software version as the lost cluster ({@code expectedSoftwareVersion}), and
 * the node itself validates the recovery ({@code POST /v1/bootstrap/validate/recover_cluster}: the
 * configuration file exists and is readable); a 406 fails here as VALIDATION with its error code.
 * Read-only.
 */
public final class InspectRecoveryStep extends ClusterStep {

  /**
   * The step, named {@code inspect-recovery}.
   *
   * @param clients how the step gets the client of the run's cluster
   */
  public InspectRecoveryStep(ClusterClientFactory clients) {
    super("inspect-recovery", clients);
  }

  @Override
  public void run(StepContext ctx) {
    RedisEnterpriseClient client = client(ctx);
    BootstrapInfo info = client.bootstrap();
    ctx.put(RedisEnterpriseKeys.BOOTSTRAP_STATE, info.state());
    if (info.status() == null || !info.status().canStart()) {
      ctx.log().info("node bootstrap state {}: no recovery is started", info.state());
      return;
    }
    String expected = ctx.get(OperationKeys.EXPECTED_SOFTWARE_VERSION).orElse(null);
    String actual =
        info.localNodeInfo() == null
            ? null
            : info.localNodeInfo().path("software_version").asString(null);
    if (expected != null && !expected.equals(actual)) {
      throw new ValidationException(
          "the node runs Redis Software "
              + actual
              + ", the lost cluster ran "
              + expected
              + ": install the same version before recovering (the recovery needs it)");
    }
    try {
      client.validateRecovery(RecoverClusterStep.body(ctx));
    } catch (ApiException e) {
      if (e.status() == 404 || e.status() == 405) {
        return;
      }
      if (e.status() == 406) {
        throw new ValidationException(
            "the node refuses to recover from '"
                + ctx.require(OperationKeys.RECOVERY_FILE)
                + "': "
                + e.errorCode()
                + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
      }
      throw e;
    }
  }

  @Override
  public boolean readOnly() {
    return true;
  }

  @Override
  public String describe(StepContext ctx) {
    return "check the node's state, software version and the recovery file"
        + " (GET /v1/bootstrap, POST /v1/bootstrap/validate/recover_cluster)";
  }
}
