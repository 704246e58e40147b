package dev.opsflow.redis.cloud.workflows;

import dev.opsflow.redis.cloud.client.RedisCloudClient;
import dev.opsflow.redis.cloud.steps.AwaitDatabasesActiveStep;
import dev.opsflow.redis.cloud.steps.AwaitSubscriptionActiveStep;
import dev.opsflow.redis.cloud.steps.AwaitSubscriptionTaskStep;
import dev.opsflow.redis.cloud.steps.CheckRegionsStep;
import dev.opsflow.redis.cloud.steps.CloudKeys;
import dev.opsflow.redis.cloud.steps.CreateSubscriptionStep;
import dev.opsflow.redis.cloud.steps.EnsureDatabaseTlsStep;
import dev.opsflow.redis.cloud.steps.EnsureDatabasesStep;
import dev.opsflow.redis.cloud.steps.FindSubscriptionStep;
import dev.opsflow.redis.cloud.steps.PlanSubscriptionStep;
import dev.opsflow.redis.cloud.steps.ResolvePaymentMethodStep;
import dev.opsflow.redis.cloud.steps.VerifyConnectivityStep;
import dev.opsflow.workflow.Input;
import dev.opsflow.workflow.Retries;
import dev.opsflow.workflow.StepOptions;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.http.TlsTrust;
import java.time.Duration;

/**
 * {@code subscription-setup}: a Pro subscription with its database, end to end. Validates every
 * option (and sends each one given), finds the payment method, reuses a subscription of the same
 * name (a re-run creates nothing twice and resumes a half-done setup), creates it with the database
 * of its plan, waits for the task and then for {@code active}, waits for the database, sets {@code
 * enableTls} when given (by an update: the create request cannot carry it), and PINGs it (over TLS
 * when the database has it, trusting the {@code TlsTrust} given to {@link #create(RedisCloudClient,
 * TlsTrust)}). Outputs {@code subscriptionId}, {@code databaseId}, {@code endpoint} and {@code
 * databases}; never a password. With rollback, a failure deletes what this run created and only
 * that.
 */
public final class SubscriptionSetupWorkflow {
  /** The workflow's name. */
  public static final String NAME = "subscription-setup";

  private SubscriptionSetupWorkflow() {}

  /**
   * The workflow, its steps calling {@code client}; TLS databases are checked with the JVM's trust.
   *
   * @param client the Redis Cloud client the step calls
   * @return the workflow, to run or register
   */
  public static Workflow create(RedisCloudClient client) {
    return create(client, TlsTrust.system());
  }

  /**
   * The workflow, its steps calling {@code client}; the connectivity check of a TLS database trusts
   * {@code databaseTrust} (the database's CA).
   *
   * @param client the Redis Cloud client the step calls
   * @param databaseTrust which certificates a TLS database's endpoint may present to the
   *     connectivity check
   * @return the workflow, to run or register
   */
  public static Workflow create(RedisCloudClient client, TlsTrust databaseTrust) {
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
    return withVerify(
            steps(b, client, new PlanSubscriptionStep(SubscriptionPlans::single)),
            client,
            databaseTrust)
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
        .step(new AwaitDatabasesActiveStep(client))
        .step(
            new EnsureDatabaseTlsStep(client),
            StepOptions.defaults().withCondition(ctx -> ctx.get(CloudKeys.ENABLE_TLS).isPresent()));
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

  static VerifyConnectivityStep verify(RedisCloudClient client, TlsTrust databaseTrust) {
    return new VerifyConnectivityStep(client, databaseTrust);
  }

  static Workflow.Builder withVerify(
      Workflow.Builder b, RedisCloudClient client, TlsTrust databaseTrust) {
    return b.step(verify(client, databaseTrust), pingRetries());
  }
}
