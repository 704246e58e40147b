package dev.opsflow.redis.enterprise.steps;

import dev.opsflow.redis.enterprise.client.RedisEnterpriseClient;
import dev.opsflow.workflow.StepContext;
import java.net.URI;
import java.util.LinkedHashMap;

/**
 * Sets the workflow's outputs, as redisctl's init-cluster reports them: {@code cluster_name},
 * {@code username}, {@code database_created}, {@code database_name}, {@code database_id} and {@code
 * endpoints} ({@code web_ui}, {@code api}, {@code database}) built from the real URL and database
 * endpoint, never a hard-coded localhost. No output holds a secret. Read-only.
 */
public final class ReportOutputsStep extends ClusterStep {
  private final boolean cluster;

  /**
   * The step that reports the run's outputs.
   *
   * @param clients how the step gets the client of the run's cluster
   * @param cluster whether to report the cluster part ({@code cluster_name}, {@code username}, the
   *     web UI); false for the database workflows
   */
  public ReportOutputsStep(ClusterClientFactory clients, boolean cluster) {
    super("report", clients);
    this.cluster = cluster;
  }

  @Override
  public void run(StepContext ctx) {
    String url = ctx.require(RedisEnterpriseKeys.URL);
    if (cluster) {
      ctx.output(
          "cluster_name",
          ctx.get(RedisEnterpriseKeys.ACTUAL_CLUSTER_NAME)
              .or(() -> ctx.get(RedisEnterpriseKeys.CLUSTER_NAME))
              .orElse(null));
      ctx.output("username", ctx.require(RedisEnterpriseKeys.USERNAME));
    }
    boolean skipped = skipDatabase(ctx);
    ctx.output(
        "database_created",
        !skipped && ctx.get(RedisEnterpriseKeys.DATABASE_CREATED).orElse(false));
    ctx.get(RedisEnterpriseKeys.DATABASE_NAME).ifPresent(n -> ctx.output("database_name", n));
    if (!skipped) {
      ctx.get(RedisEnterpriseKeys.DATABASE_ID).ifPresent(id -> ctx.output("database_id", id));
    }
    var endpoints = new LinkedHashMap<String, String>();
    if (cluster) {
      URI api = URI.create(url);
      endpoints.put("web_ui", "https://" + api.getHost() + ":" + RedisEnterpriseClient.UI_PORT);
    }
    endpoints.put("api", url);
    if (!skipped) {
      ctx.get(RedisEnterpriseKeys.DATABASE_ENDPOINT).ifPresent(e -> endpoints.put("database", e));
    }
    ctx.output("endpoints", endpoints);
  }

  @Override
  public boolean readOnly() {
    return true;
  }

  @Override
  public String describe(StepContext ctx) {
    return "report the outputs";
  }
}
