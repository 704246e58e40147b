package dev.opsflow.redis.cloud.steps;

import dev.opsflow.redis.cloud.client.SubscriptionCreateRequest;
import dev.opsflow.workflow.StepContext;

/**
 * Builds a subscription's creation plan from a run's inputs, checking what the inputs' own checks
 * cannot (combinations, CIDR overlaps). Throws {@link dev.opsflow.workflow.ValidationException}
 * naming the input, its value and what is expected.
 */
@FunctionalInterface
public interface SubscriptionPlanner {
  /**
   * The plan for this run.
   *
   * @param ctx the step's context, with the run's inputs
   * @return the subscription request
   */
  SubscriptionCreateRequest plan(StepContext ctx);
}
