package dev.opsflow.redis.cloud.steps;

import dev.opsflow.redis.cloud.client.FixedPlan;
import dev.opsflow.redis.cloud.client.RedisCloudClient;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Key;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.WorkflowException;
import java.util.List;
import java.util.Map;

/**
 * Picks the free Essentials plan ({@code price} 0 in {@code GET /fixed/plans}) of the provider, in
 * the region when one is given, and marks the run as an Essentials one. With {@link
 * CloudKeys#ENABLE_TLS} true it fails before anything is created when the plan does not support TLS
 * (free plans do not). Read-only.
 */
public final class SelectFreePlanStep implements Step {
  private final RedisCloudClient client;
  private final Key<String> provider;
  private final Key<String> region;

  /**
   * A step using {@code client}, reading the provider and (optional) region from these keys.
   *
   * @param client the Redis Cloud client the step calls
   * @param provider the key of the cloud provider
   * @param region the key of the region, optional
   */
  public SelectFreePlanStep(RedisCloudClient client, Key<String> provider, Key<String> region) {
    this.client = client;
    this.provider = provider;
    this.region = region;
  }

  @Override
  public String name() {
    return "select-free-plan";
  }

  @Override
  public void run(StepContext ctx) {
    String cloud = ctx.require(provider);
    String where = ctx.get(region).filter(r -> !r.isBlank()).orElse(null);
    ctx.put(CloudKeys.ESSENTIALS, true);
    List<FixedPlan> free =
        client.fixedPlans(cloud).stream()
            .filter(FixedPlan::isFree)
            .filter(p -> where == null || where.equals(p.region()))
            .toList();
    if (free.isEmpty()) {
      throw new WorkflowException(
          ErrorKind.CONFIGURATION,
          "no free Essentials plan for " + cloud + (where == null ? "" : " in " + where),
          null,
          false,
          Map.of("provider", cloud, "region", String.valueOf(where)),
          List.of(
              "list the plans with GET /fixed/plans?provider="
                  + cloud
                  + " and pick a region that has a free one"));
    }
    FixedPlan plan = free.get(0);
    if (ctx.get(CloudKeys.ENABLE_TLS).orElse(false) && !plan.allowsTls()) {
      throw new WorkflowException(
          ErrorKind.CONFIGURATION,
          "input 'enableTls': the free Essentials plan '"
              + plan.name()
              + "' ("
              + plan.id()
              + ") does not support TLS (supportSsl is not true); nothing was created",
          null,
          false,
          Map.of("planId", plan.id(), "enableTls", true),
          List.of(
              "leave enableTls out for a free database, or create a paid Essentials or a Pro"
                  + " database (subscription-setup with enableTls=true)"));
    }
    ctx.put(CloudKeys.PLAN_ID, free.get(0).id());
    ctx.output("planId", free.get(0).id());
    ctx.output("planName", free.get(0).name());
  }

  @Override
  public boolean readOnly() {
    return true;
  }
}
