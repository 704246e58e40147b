package dev.opsflow.redis.cloud.steps;

import dev.opsflow.redis.cloud.client.ActiveActiveRegion;
import dev.opsflow.redis.cloud.client.RedisCloudClient;
import dev.opsflow.redis.cloud.client.SubscriptionCreateRequest;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.WorkflowException;
import java.util.List;
import java.util.Map;

/**
 * Reads the regions of the Active-Active subscription ({@code GET /subscriptions/{id}/regions}),
 * checks that every planned region is there, and outputs them with their CIDRs.
 */
public final class CheckActiveActiveRegionsStep implements Step {
  private final RedisCloudClient client;

  /**
   * A step using {@code client}.
   *
   * @param client the Redis Cloud client the step calls
   */
  public CheckActiveActiveRegionsStep(RedisCloudClient client) {
    this.client = client;
  }

  @Override
  public String name() {
    return "check-regions";
  }

  @Override
  public void run(StepContext ctx) {
    long sub = ctx.require(CloudKeys.SUBSCRIPTION_ID);
    List<ActiveActiveRegion> regions = client.activeActiveRegions(sub);
    List<String> have = regions.stream().map(ActiveActiveRegion::region).toList();
    SubscriptionCreateRequest plan = ctx.require(CloudKeys.REQUEST);
    List<String> wanted =
        plan.cloudProviders().stream()
            .flatMap(p -> p.regions().stream())
            .map(r -> r.region())
            .toList();
    if (!have.containsAll(wanted)) {
      throw new WorkflowException(
          ErrorKind.REMOTE_FAILURE,
          "subscription " + sub + " has regions " + have + " but the plan asked for " + wanted,
          null,
          false,
          Map.of("subscriptionId", sub),
          List.of(
              "add the missing regions with POST "
                  + "/subscriptions/"
                  + sub
                  + "/regions, or delete the subscription and re-run"));
    }
    ctx.output(
        "regions",
        regions.stream()
            .map(
                r ->
                    Map.of(
                        "region", r.region(), "deploymentCIDR", String.valueOf(r.deploymentCidr())))
            .toList());
  }

  @Override
  public String describe(StepContext ctx) {
    return "check the Active-Active regions";
  }
}
