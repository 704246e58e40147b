package dev.opsflow.redis.enterprise.steps;

import dev.opsflow.workflow.ApiException;
import dev.opsflow.workflow.StepContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Starts the recovery: {@code POST /v1/bootstrap/recover_cluster} with {@code recovery_filename}
 * (the lost cluster's {@code ccs-redis.rdb}) and the node's storage paths when given. Skipped on a
 * node that is recovered already or recovering (never started twice); a 409 counts as started.
 * Nothing to undo: a recovered cluster is the point.
 */
public final class RecoverClusterStep extends ClusterStep {

  /**
   * The step, named {@code recover-cluster}.
   *
   * @param clients how the step gets the client of the run's cluster
   */
  public RecoverClusterStep(ClusterClientFactory clients) {
    super("recover-cluster", clients);
  }

  /** The body of the recovery and of its validation. */
  static Map<String, Object> body(StepContext ctx) {
    var body = new LinkedHashMap<String, Object>();
    body.put("action", "recover_cluster");
    body.put("recovery_filename", ctx.require(OperationKeys.RECOVERY_FILE));
    var paths = new LinkedHashMap<String, Object>();
    ctx.get(RedisEnterpriseKeys.PERSISTENT_PATH).ifPresent(p -> paths.put("persistent_path", p));
    ctx.get(RedisEnterpriseKeys.EPHEMERAL_PATH).ifPresent(p -> paths.put("ephemeral_path", p));
    if (!paths.isEmpty()) {
      body.put("node", Map.of("paths", paths));
    }
    return body;
  }

  @Override
  public Optional<String> precheck(StepContext ctx) {
    String state = ctx.get(RedisEnterpriseKeys.BOOTSTRAP_STATE).orElse("idle");
    return state.equals("idle") || state.equals("error")
        ? Optional.empty()
        : Optional.of("node bootstrap state is '" + state + "': no recovery started again");
  }

  @Override
  public void run(StepContext ctx) {
    ctx.subTask("Recovering the cluster from " + ctx.require(OperationKeys.RECOVERY_FILE));
    try {
      client(ctx).recoverCluster(body(ctx));
    } catch (ApiException e) {
      if (e.status() != 409) {
        throw e;
      }
      ctx.log().info("recover_cluster answered 409: a bootstrap is in progress; awaiting it");
    }
  }

  @Override
  public String describe(StepContext ctx) {
    return "recover the cluster's configuration from "
        + ctx.get(OperationKeys.RECOVERY_FILE).orElse("?")
        + " (POST /v1/bootstrap/recover_cluster)";
  }
}
