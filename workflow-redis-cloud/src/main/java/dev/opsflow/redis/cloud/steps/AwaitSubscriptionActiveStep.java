package dev.opsflow.redis.cloud.steps;

import dev.opsflow.redis.cloud.client.RedisCloudClient;
import dev.opsflow.workflow.Poll;
import dev.opsflow.workflow.Polling;
import dev.opsflow.workflow.PollingStep;
import dev.opsflow.workflow.StepContext;

/**
 * Polls the subscription until its status is {@code active}: a completed task may leave it {@code
 * pending} while it is provisioned, and the API refuses changes until it is active. A {@link
 * PollingStep}: in a started run it holds no thread between polls.
 */
public final class AwaitSubscriptionActiveStep implements PollingStep {
  private final RedisCloudClient client;

  /**
   * A step using {@code client}.
   *
   * @param client the Redis Cloud client the step calls
   */
  public AwaitSubscriptionActiveStep(RedisCloudClient client) {
    this.client = client;
  }

  @Override
  public String name() {
    return "await-subscription-active";
  }

  @Override
  public Poll poll(StepContext ctx, Polling polling) {
    return client.pollSubscriptionActive(
        ctx,
        polling,
        ctx.require(CloudKeys.SUBSCRIPTION_ID),
        s -> ctx.output("subscriptionStatus", s.status()));
  }

  @Override
  public String describe(StepContext ctx) {
    return "wait for the subscription to be active";
  }
}
