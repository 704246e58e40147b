package dev.opsflow.redis.cloud.steps;

import dev.opsflow.redis.cloud.client.SubscriptionCreateRequest;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.StepContext;
import java.util.Objects;

/**
 * Builds the subscription's creation plan from the inputs with a {@link SubscriptionPlanner} and
 * keeps it under {@link CloudKeys#REQUEST}. Read-only: it runs in dry runs, before any change.
 */
public final class PlanSubscriptionStep implements Step {
  private final SubscriptionPlanner planner;

  /**
   * A step planning with {@code planner}.
   *
   * @param planner builds the subscription request from the run's inputs
   */
  public PlanSubscriptionStep(SubscriptionPlanner planner) {
    this.planner = Objects.requireNonNull(planner, "planner must not be null");
  }

  @Override
  public String name() {
    return "plan-subscription";
  }

  @Override
  public void run(StepContext ctx) {
    SubscriptionCreateRequest request = planner.plan(ctx);
    ctx.put(CloudKeys.REQUEST, request);
    ctx.output("subscriptionName", request.name());
  }

  @Override
  public boolean readOnly() {
    return true;
  }
}
