package dev.opsflow.redis.cloud.steps;

import dev.opsflow.redis.cloud.client.RedisCloudClient;
import dev.opsflow.redis.cloud.client.Subscription;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.StepContext;

/**
 * Polls the subscription until its status is {@code active}: a completed task may leave it {@code
 * pending} while it is provisioned, and the API refuses changes until it is active.
 */
public final class AwaitSubscriptionActiveStep implements Step {
  private final RedisCloudClient client;

  /** A step using {@code client}. */
  public AwaitSubscriptionActiveStep(RedisCloudClient client) {
    this.client = client;
  }

  @Override
  public String name() {
    return "await-subscription-active";
  }

  @Override
  public void run(StepContext ctx) {
    Subscription s = client.awaitSubscriptionActive(ctx, ctx.require(CloudKeys.SUBSCRIPTION_ID));
    ctx.output("subscriptionStatus", s.status());
  }

  @Override
  public String describe(StepContext ctx) {
    return "wait for the subscription to be active";
  }
}
