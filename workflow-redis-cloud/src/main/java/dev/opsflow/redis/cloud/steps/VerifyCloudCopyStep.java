package dev.opsflow.redis.cloud.steps;

import dev.opsflow.redis.cloud.client.RedisCloudClient;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.WorkflowException;
import dev.opsflow.workflow.http.TlsTrust;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compares the source and the target once the copy has caught up: key counts ({@code DBSIZE}) and
 * {@code sampleSize} keys by their {@code DUMP} payloads. Outputs {@code source_keys}, {@code
 * target_keys}, {@code sampled_keys}. Read-only.
 */
public final class VerifyCloudCopyStep implements Step {
  private final RedisCloudClient client;
  private final TlsTrust trust;

  /**
   * A step using {@code client}; a TLS target is verified against {@code trust}.
   *
   * @param client the Redis Cloud client the step calls
   * @param trust which certificates the target database's endpoint may present, when it has TLS
   */
  public VerifyCloudCopyStep(RedisCloudClient client, TlsTrust trust) {
    this.client = client;
    this.trust = trust;
  }

  @Override
  public String name() {
    return "verify-data";
  }

  @Override
  public Optional<String> precheck(StepContext ctx) {
    return ctx.isDryRun() ? Optional.of("dry run: nothing was copied") : Optional.empty();
  }

  @Override
  public void run(StepContext ctx) {
    int sample = ctx.get(MigrationKeys.SAMPLE_SIZE).orElse(100);
    ctx.subTask("Comparing " + sample + " keys of the source and the target");
    var copy = MigrationData.compare(ctx, MigrationData.target(client, ctx), trust, sample);
    if (!copy.complete()) {
      throw new WorkflowException(
          ErrorKind.REMOTE_FAILURE,
          copy.describe(),
          null,
          false,
          Map.of(
              "sourceKeys", copy.sourceKeys(),
              "targetKeys", copy.targetKeys(),
              "differing", copy.differing().size()),
          List.of(
              "a source that is still written to differs by the writes in flight: verify again",
              "the sync stays configured; rollback ends it"));
    }
    ctx.output("source_keys", copy.sourceKeys());
    ctx.output("target_keys", copy.targetKeys());
    ctx.output("sampled_keys", Math.min(sample, copy.sourceKeys()));
  }

  @Override
  public boolean readOnly() {
    return true;
  }

  @Override
  public String describe(StepContext ctx) {
    return "compare key counts and a sample of keys (DBSIZE, SCAN, DUMP)";
  }
}
