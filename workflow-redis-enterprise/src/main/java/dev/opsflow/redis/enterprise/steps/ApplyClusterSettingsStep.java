package dev.opsflow.redis.enterprise.steps;

import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.WorkflowException;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.type.TypeReference;

/**
 * Applies cluster settings ({@code PUT /v1/cluster}) given as a JSON object in {@link
 * RedisEnterpriseKeys#CLUSTER_SETTINGS}, such as {@code {"email_alerts": true}}. Skipped without.
 */
public final class ApplyClusterSettingsStep extends ClusterStep {
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  /**
   * The step, named {@code apply-cluster-settings}.
   *
   * @param clients how the step gets the client of the run's cluster
   */
  public ApplyClusterSettingsStep(ClusterClientFactory clients) {
    super("apply-cluster-settings", clients);
  }

  /**
   * Whether {@code json} is a JSON object (the input's check).
   *
   * @param json the input's text
   * @return true when it parses as a JSON object
   */
  public static boolean isJsonObject(String json) {
    try {
      return Json.mapper().readTree(json).isObject();
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public Optional<String> precheck(StepContext ctx) {
    return ctx.get(RedisEnterpriseKeys.CLUSTER_SETTINGS).filter(s -> !s.isBlank()).isPresent()
        ? Optional.empty()
        : Optional.of("no cluster settings given");
  }

  @Override
  public void run(StepContext ctx) {
    Map<String, Object> settings = parse(ctx.require(RedisEnterpriseKeys.CLUSTER_SETTINGS));
    ctx.subTask("Applying cluster settings " + settings.keySet());
    try {
      client(ctx).updateCluster(settings);
    } catch (RuntimeException e) {
      throw afterBootstrap(ctx, e, "check the cluster settings " + settings.keySet());
    }
  }

  private static Map<String, Object> parse(String json) {
    try {
      return Json.mapper().readValue(json, MAP);
    } catch (RuntimeException e) {
      throw new WorkflowException(
          ErrorKind.VALIDATION,
          "clusterSettings must be a JSON object such as {\"email_alerts\": true}",
          e);
    }
  }

  @Override
  public String describe(StepContext ctx) {
    return "apply cluster settings "
        + ctx.get(RedisEnterpriseKeys.CLUSTER_SETTINGS)
            .map(ApplyClusterSettingsStep::parse)
            .map(Map::keySet)
            .map(Object::toString)
            .orElse("{}")
        + " (PUT /v1/cluster)";
  }
}
