package dev.opsflow.redis.cloud.steps;

import dev.opsflow.redis.cloud.client.RedisCloudClient;
import dev.opsflow.workflow.Poll;
import dev.opsflow.workflow.Polling;
import dev.opsflow.workflow.PollingStep;
import dev.opsflow.workflow.StepContext;
import java.util.Optional;

/**
 * Follows the task {@link CreateSubscriptionStep} sent ({@code GET /tasks/{taskId}}) to {@code
 * processing-completed} and keeps the subscription's id ({@code response.resourceId}, output {@code
 * subscriptionId}) as created by this run; a task ending in {@code processing-error} fails the step
 * at once with the API's code, one still running past the client's task timeout fails it as TIMEOUT
 * naming the task. Skipped when the subscription was found. A {@link PollingStep}: in a started run
 * it holds no thread between polls, and a resumed run polls the same task again.
 */
public final class AwaitSubscriptionTaskStep implements PollingStep {
  private final RedisCloudClient client;

  /**
   * A step using {@code client}.
   *
   * @param client the Redis Cloud client the step calls
   */
  public AwaitSubscriptionTaskStep(RedisCloudClient client) {
    this.client = client;
  }

  @Override
  public String name() {
    return "await-subscription-task";
  }

  @Override
  public Optional<String> precheck(StepContext ctx) {
    return ctx.get(CloudKeys.SUBSCRIPTION_ID)
        .map(id -> "subscription " + id + " exists: no creation task to wait for");
  }

  @Override
  public Poll poll(StepContext ctx, Polling polling) {
    return client.pollTask(
        ctx,
        polling,
        ctx.require(CloudKeys.SUBSCRIPTION_TASK),
        done -> {
          long id = RedisCloudClient.resourceId(done);
          ctx.put(CloudKeys.SUBSCRIPTION_ID, id);
          ctx.put(CloudKeys.SUBSCRIPTION_CREATED, true);
          ctx.output("subscriptionId", id);
        });
  }

  @Override
  public String describe(StepContext ctx) {
    return "wait for the subscription's creation task (GET /tasks/{taskId})";
  }
}
