package dev.opsflow.redis.cloud.workflows;

import dev.opsflow.redis.cloud.client.RedisCloudClient;
import dev.opsflow.redis.cloud.steps.AwaitDatabasesActiveStep;
import dev.opsflow.redis.cloud.steps.CloudKeys;
import dev.opsflow.redis.cloud.steps.EnsureEssentialsDatabaseStep;
import dev.opsflow.redis.cloud.steps.EnsureEssentialsSubscriptionStep;
import dev.opsflow.redis.cloud.steps.SelectFreePlanStep;
import dev.opsflow.redis.cloud.steps.TypedErrorsStep;
import dev.opsflow.redis.cloud.steps.WriteCredentialsStep;
import dev.opsflow.workflow.Input;
import dev.opsflow.workflow.Key;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.http.TlsTrust;

/**
 * {@code quick-database}: an Essentials subscription on the free plan and one database, found by
 * name on a re-run (the second run creates nothing). The connection settings, password included,
 * are written only to the file the caller names, with mode 0600; the result and the logs hold its
 * path, never the password. Failures carry {@code details.errorType} (invalid name, name conflict,
 * free database already exists, quota exceeded, not authenticated, rate limited, transient) and a
 * suggestion.
 */
public final class QuickDatabaseWorkflow {
  /** The workflow's name. */
  public static final String NAME = "quick-database";

  /** {@code AWS}, {@code GCP} or {@code Azure}. */
  public static final Key<String> PROVIDER = Key.of("provider", String.class);

  /** The region (default: the free plan's). */
  public static final Key<String> REGION = Key.of("region", String.class);

  private QuickDatabaseWorkflow() {}

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
    return Workflow.builder(NAME)
        .version(1)
        .description(
            "Create a free Redis Cloud Essentials database and write its connection"
                + " settings to a file (mode 0600); idempotent by name")
        .input(
            Input.required(CloudInputs.NAME)
                .describedAs("the subscription's (and by default the database's) name")
                .check(
                    n -> CloudInputs.RESOURCE_NAME.matcher(n).matches(),
                    "letters, digits and hyphens, starting with a letter and ending with a letter or"
                        + " digit, at most 40 characters"))
        .input(
            Input.optional(CloudKeys.DATABASE_NAME, (String) null)
                .check(
                    n -> CloudInputs.RESOURCE_NAME.matcher(n).matches(),
                    "letters, digits and hyphens, starting with a letter, at most 40 characters"))
        .input(
            Input.required(CloudKeys.CREDENTIALS_FILE)
                .describedAs("where to write the credentials (dotenv, mode 0600)"))
        .input(
            Input.optional(PROVIDER, "AWS")
                .check(p -> p.matches("AWS|GCP|Azure"), "AWS, GCP or Azure"))
        .input(Input.optional(REGION, (String) null))
        .input(
            CloudInputs.enableTls(
                "sent with the database; free plans have no TLS, so true is refused before"
                    + " anything is created"))
        .step(
            typed(new SelectFreePlanStep(client, PROVIDER, REGION)),
            SubscriptionSetupWorkflow.retrying())
        .step(typed(new EnsureEssentialsSubscriptionStep(client, CloudInputs.NAME)))
        .step(typed(new EnsureEssentialsDatabaseStep(client, CloudInputs.NAME)))
        .step(typed(new AwaitDatabasesActiveStep(client)))
        .step(typed(new WriteCredentialsStep(client)))
        .step(
            typed(SubscriptionSetupWorkflow.verify(client, databaseTrust)),
            SubscriptionSetupWorkflow.pingRetries())
        .build();
  }

  private static Step typed(Step step) {
    return TypedErrorsStep.of(step);
  }
}
