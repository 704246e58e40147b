package dev.opsflow.redis.cloud.workflows;

import dev.opsflow.redis.cloud.client.RedisCloudClient;
import dev.opsflow.redis.cloud.steps.CheckActiveActiveRegionsStep;
import dev.opsflow.redis.cloud.steps.PlanSubscriptionStep;
import dev.opsflow.workflow.Input;
import dev.opsflow.workflow.Key;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.http.TlsTrust;
import java.util.List;

/**
 * {@code setup-aa-database}: an Active-Active subscription across two or more regions, each with
 * its own non-overlapping /24, and a database replicated across them with a local throughput per
 * region. Found by name on a re-run; waits for the task, for {@code active}, checks the regions and
 * PINGs the database in every region.
 */
public final class SetupAaDatabaseWorkflow {
  /** The workflow's name. */
  public static final String NAME = "setup-aa-database";

  /** The regions with their CIDRs: {@code us-east-1=10.0.1.0/24,eu-west-1=10.0.2.0/24}. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static final Key<List<String>> REGIONS = (Key) Key.of("regions", List.class);

  /** Writes per second in each region. */
  public static final Key<Long> WRITE_OPS = Key.of("writeOps", Long.class);

  /** Reads per second in each region. */
  public static final Key<Long> READ_OPS = Key.of("readOps", Long.class);

  private SetupAaDatabaseWorkflow() {}

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
                "Create an Active-Active Redis Cloud subscription across regions and a"
                    + " database replicated across them")
            .input(CloudInputs.name())
            .input(CloudInputs.provider())
            .input(Input.required(REGIONS).describedAs("region=cidr pairs, comma-separated"))
            .input(Input.optional(WRITE_OPS, 1000L).check(v -> v > 0, "a positive number"))
            .input(Input.optional(READ_OPS, 1000L).check(v -> v > 0, "a positive number"))
            .input(Input.optional(CloudInputs.MULTI_AZ, (Boolean) null))
            .input(
                Input.optional(CloudInputs.DATABASE_NAME, (String) null)
                    .describedAs("the database's name (default: <name>-db)"));
    CloudInputs.account().forEach(b::input);
    CloudInputs.databaseOptions().forEach(b::input);
    SubscriptionSetupWorkflow.steps(
        b,
        client,
        new PlanSubscriptionStep(
            ctx ->
                SubscriptionPlans.activeActive(
                    ctx, ctx.require(REGIONS), ctx.require(WRITE_OPS), ctx.require(READ_OPS))));
    b.step(new CheckActiveActiveRegionsStep(client), SubscriptionSetupWorkflow.retrying());
    return SubscriptionSetupWorkflow.withVerify(b, client, databaseTrust).build();
  }
}
