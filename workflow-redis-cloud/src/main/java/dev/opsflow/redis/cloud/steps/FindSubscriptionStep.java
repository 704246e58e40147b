package dev.opsflow.redis.cloud.steps;

import dev.opsflow.redis.cloud.client.RedisCloudClient;
import dev.opsflow.redis.cloud.client.Subscription;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.WorkflowException;
import java.util.List;
import java.util.Map;

/**
 * Looks for a Pro subscription with the plan's name ({@code GET /subscriptions}) and, when there is
 * one, keeps its id so that nothing is created twice: a re-run reuses it and resumes what is
 * missing. A subscription appears only when its creation task completes, so creations still in
 * flight ({@code GET /tasks}) are awaited first: a re-run started while an earlier run's create is
 * processing finds that subscription instead of sending a second create. Two subscriptions of that
 * name are an error (which one to use is the user's call). Read-only.
 */
public final class FindSubscriptionStep implements Step {
  private static final String CREATE = "subscriptionCreateRequest";

  private final RedisCloudClient client;

  /**
   * A step using {@code client}.
   *
   * @param client the Redis Cloud client the step calls
   */
  public FindSubscriptionStep(RedisCloudClient client) {
    this.client = client;
  }

  @Override
  public String name() {
    return "find-subscription";
  }

  @Override
  public void run(StepContext ctx) {
    String name = ctx.require(CloudKeys.REQUEST).name();
    client.awaitTasksInFlight(ctx, CREATE);
    ctx.subTask("Looking for subscription '" + name + "'...");
    List<Subscription> same =
        client.subscriptions().stream()
            .filter(s -> name.equals(s.name()) && !"deleting".equals(s.status()))
            .toList();
    if (same.size() > 1) {
      throw new WorkflowException(
          ErrorKind.CONFIGURATION,
          same.size()
              + " subscriptions are named '"
              + name
              + "' (ids "
              + same.stream().map(Subscription::id).toList()
              + "): cannot tell which one to use",
          null,
          false,
          Map.of("subscriptionName", name),
          List.of("rename or delete the extra subscriptions"));
    }
    if (same.size() == 1) {
      Subscription found = same.get(0);
      ctx.put(CloudKeys.SUBSCRIPTION_ID, found.id());
      ctx.output("subscriptionId", found.id());
      ctx.output("subscriptionReused", true);
      ctx.log()
          .info(
              "subscription '{}' exists (id {}, {}): reusing it", name, found.id(), found.status());
    } else {
      ctx.output("subscriptionReused", false);
    }
  }

  @Override
  public boolean readOnly() {
    return true;
  }
}
