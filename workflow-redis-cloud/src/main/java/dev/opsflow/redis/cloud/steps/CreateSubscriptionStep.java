package dev.opsflow.redis.cloud.steps;

import dev.opsflow.redis.cloud.client.Database;
import dev.opsflow.redis.cloud.client.DatabaseSpec;
import dev.opsflow.redis.cloud.client.RedisCloudClient;
import dev.opsflow.redis.cloud.client.SubscriptionCreateRequest;
import dev.opsflow.redis.cloud.client.Task;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.WorkflowException;
import java.util.Optional;

/**
 * Creates the subscription with its plan's databases ({@code POST /subscriptions}) and keeps the id
 * of its task ({@link CloudKeys#SUBSCRIPTION_TASK}, output {@code subscriptionTaskId}), which
 * {@link AwaitSubscriptionTaskStep} then follows to {@code processing-completed}. Skipped when
 * {@link FindSubscriptionStep} found one; a resumed run that sent the create already does not send
 * another. On rollback it deletes the subscription (its databases first) only when this run created
 * it (the task completed: {@link CloudKeys#SUBSCRIPTION_CREATED}).
 */
public final class CreateSubscriptionStep implements Step {
  private final RedisCloudClient client;

  /**
   * A step using {@code client}.
   *
   * @param client the Redis Cloud client the step calls
   */
  public CreateSubscriptionStep(RedisCloudClient client) {
    this.client = client;
  }

  @Override
  public String name() {
    return "create-subscription";
  }

  @Override
  public Optional<String> precheck(StepContext ctx) {
    return ctx.get(CloudKeys.SUBSCRIPTION_ID)
        .map(
            id ->
                "subscription '"
                    + ctx.require(CloudKeys.REQUEST).name()
                    + "' exists (id "
                    + id
                    + "): reusing it");
  }

  @Override
  public void run(StepContext ctx) {
    SubscriptionCreateRequest request = ctx.require(CloudKeys.REQUEST);
    if (ctx.get(CloudKeys.SUBSCRIPTION_TASK).isEmpty()) {
      ctx.subTask("Creating subscription '" + request.name() + "'...");
      Task task = client.createSubscription(request);
      String taskId = task.taskId();
      ctx.put(CloudKeys.SUBSCRIPTION_TASK, taskId);
      ctx.output("subscriptionTaskId", taskId);
    }
  }

  @Override
  public boolean hasCompensation() {
    return true;
  }

  @Override
  public void compensate(StepContext ctx) {
    if (!ctx.get(CloudKeys.SUBSCRIPTION_CREATED).orElse(false)) {
      return;
    }
    long id = ctx.require(CloudKeys.SUBSCRIPTION_ID);
    ctx.subTask("Deleting subscription " + id + " created by this run...");
    for (Database db : client.databases(id)) {
      settle(ctx, id);
      client.awaitTask(ctx, client.deleteDatabase(id, db.databaseId()).taskId());
    }
    settle(ctx, id);
    client.awaitTask(ctx, client.deleteSubscription(id).taskId());
    ctx.log().info("deleted subscription {} created by this run", id);
  }

  /** Waits while the subscription is pending; one in {@code error} may be deleted as it is. */
  private void settle(StepContext ctx, long id) {
    try {
      client.awaitSubscriptionActive(ctx, id);
    } catch (WorkflowException e) {
      if (e.kind() != ErrorKind.REMOTE_FAILURE) {
        throw e;
      }
      ctx.log().info("subscription {} is not active ({}); deleting it anyway", id, e.getMessage());
    }
  }

  @Override
  public String describe(StepContext ctx) {
    return ctx.get(CloudKeys.REQUEST)
        .map(
            r ->
                "create subscription '"
                    + r.name()
                    + "' with "
                    + r.databases().stream().map(DatabaseSpec::name).toList()
                    + ": POST /subscriptions "
                    + Json.mapper().writeValueAsString(r))
        .orElse("create the subscription");
  }
}
