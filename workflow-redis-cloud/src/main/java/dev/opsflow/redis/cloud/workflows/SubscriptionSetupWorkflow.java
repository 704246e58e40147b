package dev.opsflow.redis.cloud.workflows;

import dev.opsflow.redis.cloud.client.RedisCloudClient;
import dev.opsflow.redis.cloud.steps.AwaitDatabasesActiveStep;
import dev.opsflow.redis.cloud.steps.AwaitSubscriptionActiveStep;
import dev.opsflow.redis.cloud.steps.AwaitSubscriptionTaskStep;
import dev.opsflow.redis.cloud.steps.CheckRegionsStep;
import dev.opsflow.redis.cloud.steps.CreateSubscriptionStep;
import dev.opsflow.redis.cloud.steps.EnsureDatabasesStep;
import dev.opsflow.redis.cloud.steps.FindSubscriptionStep;
import dev.opsflow.redis.cloud.steps.PlanSubscriptionStep;
import dev.opsflow.redis.cloud.steps.ResolvePaymentMethodStep;
import dev.opsflow.redis.cloud.steps.VerifyConnectivityStep;
import dev.opsflow.workflow.Input;
import dev.opsflow.workflow.Retries;
import dev.opsflow.workflow.StepOptions;
import dev.opsflow.workflow.Workflow;
import java.time.Duration;

/**
 * {@code subscription-setup}: a Pro subscription with its database, end to end. Validates every
 * option (and sends each one given), finds the payment method, reuses a subscription of the same
 * name (a re-run creates nothing twice and resumes a half-done setup), creates it with the database
 * of its plan, waits for the task and then for {@code active}, waits for the database, and PINGs
 * it. Outputs {@code subscriptionId}, {@code databaseId}, {@code endpoint} and {@code databases};
 * never a password. With rollback, a failure deletes what this run created and only that.
 */
public final class SubscriptionSetupWorkflow {
  /** The workflow's name. */
  public static final String NAME = "subscription-setup";

  private SubscriptionSetupWorkflow() {}

  /** The workflow, its steps calling {@code client}. */
  public static Workflow create(RedisCloudClient client) {
    var b =
        Workflow.builder(NAME)
            .version(1)
            .description(
                "Create a Redis Cloud Pro subscription with its database, wait until both"
                    + " are active and PING the database (idempotent by subscription name)")
            .input(CloudInputs.name())
            .input(CloudInputs.provider())
            .input(CloudInputs.region())
            .input(CloudInputs.cidr())
            .input(
                Input.optional(CloudInputs.MULTI_AZ, (Boolean) null)
                    .describedAs("spread over availability zones"))
            .input(
                Input.optional(CloudInputs.ZONES, (java.util.List<String>) null)
                    .describedAs("preferred availability zones, comma-separated"))
            .input(
                Input.optional(CloudInputs.DATABASE_NAME, (String) null)
                    .describedAs("the database's name (default: <name>-db)"));
    CloudInputs.account().forEach(b::input);
    CloudInputs.databaseOptions().forEach(b::input);
    return withVerify(steps(b, client, new PlanSubscriptionStep(SubscriptionPlans::single)), client)
        .build();
  }

  /** The steps every Pro workflow shares, after its plan step. */
  static Workflow.Builder steps(
      Workflow.Builder b, RedisCloudClient client, PlanSubscriptionStep plan) {
    return b.step(plan)
        .step(new CheckRegionsStep(client), retrying())
        .step(new ResolvePaymentMethodStep(client), retrying())
        .step(new FindSubscriptionStep(client), retrying())
        .step(new CreateSubscriptionStep(client))
        .step(new AwaitSubscriptionTaskStep(client))
        .step(new AwaitSubscriptionActiveStep(client))
        .step(new EnsureDatabasesStep(client))
        .step(new AwaitDatabasesActiveStep(client));
  }

  /** Reads retried on transient failures (the client has retried each request already). */
  static StepOptions retrying() {
    return StepOptions.defaults().withRetry(Retries.standard());
  }

  /** The connectivity check, retried while a fresh endpoint starts accepting. */
  static StepOptions pingRetries() {
    return StepOptions.defaults()
        .withRetry(Retries.exponential(5, Duration.ofSeconds(2), Duration.ofSeconds(30)));
  }

  static VerifyConnectivityStep verify(RedisCloudClient client) {
    return new VerifyConnectivityStep(client);
  }

  static Workflow.Builder withVerify(Workflow.Builder b, RedisCloudClient client) {
    return b.step(verify(client), pingRetries());
  }
}
