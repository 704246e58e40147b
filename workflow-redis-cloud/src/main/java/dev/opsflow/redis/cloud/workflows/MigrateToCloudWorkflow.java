package dev.opsflow.redis.cloud.workflows;

import dev.opsflow.redis.cloud.client.RedisCloudClient;
import dev.opsflow.redis.cloud.steps.AwaitCloudSyncStep;
import dev.opsflow.redis.cloud.steps.CloudCutOverStep;
import dev.opsflow.redis.cloud.steps.CloudKeys;
import dev.opsflow.redis.cloud.steps.InspectCloudMigrationStep;
import dev.opsflow.redis.cloud.steps.MigrationKeys;
import dev.opsflow.redis.cloud.steps.StartCloudSyncStep;
import dev.opsflow.redis.cloud.steps.VerifyCloudCopyStep;
import dev.opsflow.workflow.Input;
import dev.opsflow.workflow.StepOptions;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.http.TlsTrust;
import java.time.Duration;

/**
 * {@code migrate-database-to-cloud}: copies a database (a Redis Enterprise database's endpoint, or
 * any Redis the service can reach) into a Redis Cloud Pro database with Replica Of ({@code
 * replica.syncSources} of a database update), waits until the target holds the source's data,
 * verifies it (key counts, a sample of keys), and with {@code cutOver} ends the sync and reports
 * the cut-over point. Rollback ends a sync this run started; the source is never changed. It is
 * Redis Enterprise's {@code migrate-database} with Redis Cloud as the target, in this module
 * because the adapters do not depend on each other.
 */
public final class MigrateToCloudWorkflow {
  /** The workflow's name. */
  public static final String NAME = "migrate-database-to-cloud";

  private MigrateToCloudWorkflow() {}

  /**
   * The workflow, its steps calling {@code client}; a TLS target is checked against {@code trust}.
   *
   * @param client the Redis Cloud client the steps call
   * @param trust which certificates the target database's endpoint may present, when it has TLS
   * @return the workflow, to run or register
   */
  public static Workflow create(RedisCloudClient client, TlsTrust trust) {
    return Workflow.builder(NAME)
        .version(1)
        .description(
            "Copy a Redis database into a Redis Cloud database with Replica Of, verify it, and"
                + " optionally cut over")
        .input(
            Input.required(CloudKeys.SUBSCRIPTION_ID)
                .check(id -> id > 0, "a subscription id")
                .describedAs("the target database's Pro subscription"))
        .input(
            Input.required(MigrationKeys.DATABASE_ID)
                .check(id -> id > 0, "a database id")
                .describedAs("the target database (its data is replaced by the source's)"))
        .input(
            Input.required(MigrationKeys.SOURCE_ENDPOINT)
                .check(
                    e -> e.matches("[A-Za-z0-9.-]+:\\d{1,5}"),
                    "host:port of the source database, such as redis-12000.re.example.com:12000")
                .describedAs("the source database's endpoint, reachable from Redis Cloud"))
        .input(
            Input.optional(MigrationKeys.SOURCE_USER, null)
                .check(u -> u.matches("[A-Za-z0-9_.@-]+"), "a user name")
                .describedAs("the user the sync logs in with (a Redis Enterprise source: admin)"))
        .input(
            Input.secret(MigrationKeys.SOURCE_PASSWORD)
                .optional()
                .describedAs(
                    "the source's password (a Redis Enterprise source: its"
                        + " authentication_admin_pass)"))
        .input(
            Input.optional(MigrationKeys.CUT_OVER, false)
                .describedAs("end the sync once verified and report the cut-over point"))
        .input(
            Input.optional(MigrationKeys.SAMPLE_SIZE, 100)
                .check(n -> n >= 0 && n <= 100_000, "0 to 100000 keys")
                .describedAs("how many keys to compare"))
        .input(
            Input.optional(MigrationKeys.WAIT_TIMEOUT, Duration.ofMinutes(30))
                .check(d -> !d.isNegative() && !d.isZero(), "a positive duration such as 30m")
                .describedAs("how long the copy may take"))
        .step(new InspectCloudMigrationStep(client), SubscriptionSetupWorkflow.retrying())
        .step(new StartCloudSyncStep(client), SubscriptionSetupWorkflow.retrying())
        .step(new AwaitCloudSyncStep(client, trust), StepOptions.defaults())
        .step(new VerifyCloudCopyStep(client, trust), StepOptions.defaults())
        .step(new CloudCutOverStep(client), SubscriptionSetupWorkflow.retrying())
        .build();
  }
}
