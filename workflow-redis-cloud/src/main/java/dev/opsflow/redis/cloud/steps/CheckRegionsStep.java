package dev.opsflow.redis.cloud.steps;

import dev.opsflow.redis.cloud.client.RedisCloudClient;
import dev.opsflow.redis.cloud.client.Region;
import dev.opsflow.redis.cloud.client.SubscriptionCreateRequest;
import dev.opsflow.redis.cloud.client.SubscriptionCreateRequest.CloudProviderSpec;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.ValidationException;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks the plan's regions against the provider's regions ({@code GET /regions?provider=}), so a
 * misspelt region is refused before anything is created, naming the region and the choices.
 * Read-only.
 */
public final class CheckRegionsStep implements Step {
  private final RedisCloudClient client;

  /**
   * A step using {@code client}.
   *
   * @param client the Redis Cloud client the step calls
   */
  public CheckRegionsStep(RedisCloudClient client) {
    this.client = client;
  }

  @Override
  public String name() {
    return "check-regions-exist";
  }

  @Override
  public void run(StepContext ctx) {
    SubscriptionCreateRequest plan = ctx.require(CloudKeys.REQUEST);
    var problems = new ArrayList<String>();
    for (CloudProviderSpec provider : plan.cloudProviders()) {
      List<String> known =
          client.regions(provider.provider()).stream()
              .filter(r -> provider.provider().equals(r.provider()))
              .map(Region::name)
              .toList();
      for (var region : provider.regions()) {
        if (!known.contains(region.region())) {
          problems.add(
              "region '"
                  + region.region()
                  + "' is not a "
                  + provider.provider()
                  + " region of Redis Cloud; expected one of "
                  + known);
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ValidationException(problems);
    }
  }

  @Override
  public boolean readOnly() {
    return true;
  }
}
