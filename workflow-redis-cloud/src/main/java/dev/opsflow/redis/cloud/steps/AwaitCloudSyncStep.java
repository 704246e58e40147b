package dev.opsflow.redis.cloud.steps;

import dev.opsflow.redis.cloud.client.RedisCloudClient;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Poll;
import dev.opsflow.workflow.Polling;
import dev.opsflow.workflow.PollingStep;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.WorkflowException;
import dev.opsflow.workflow.http.TlsTrust;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Waits until the target holds the source's data. The Cloud API reports no Replica Of sync status
 * (its database object has the sources, not their state), so each poll compares the data: the key
 * counts ({@code DBSIZE}) and a sample of keys ({@code SCAN}, {@code DUMP}) until they agree.
 * Bounded by {@code waitTimeout} (TIMEOUT, with the last counts). A {@link PollingStep}.
 */
public final class AwaitCloudSyncStep implements PollingStep {
  private final RedisCloudClient client;
  private final TlsTrust trust;

  /**
   * A step using {@code client}; a TLS target is verified against {@code trust}.
   *
   * @param client the Redis Cloud client the step calls
   * @param trust which certificates the target database's endpoint may present, when it has TLS
   */
  public AwaitCloudSyncStep(RedisCloudClient client, TlsTrust trust) {
    this.client = client;
    this.trust = trust;
  }

  @Override
  public String name() {
    return "await-sync";
  }

  @Override
  public Optional<String> precheck(StepContext ctx) {
    return ctx.isDryRun() ? Optional.of("dry run: no sync was started") : Optional.empty();
  }

  @Override
  public Poll poll(StepContext ctx, Polling polling) {
    int sample = Math.min(ctx.get(MigrationKeys.SAMPLE_SIZE).orElse(100), 1000);
    var copy = MigrationData.compare(ctx, MigrationData.target(client, ctx), trust, sample);
    ctx.subTask("Waiting for the copy: " + copy.describe());
    if (copy.sourceKeys() > 0) {
      ctx.progress((int) Math.min(99, 100 * copy.targetKeys() / copy.sourceKeys()));
    }
    if (copy.complete()) {
      return Poll.done();
    }
    Duration waited = Duration.between(polling.since(), ctx.clock().instant());
    Duration limit = ctx.get(MigrationKeys.WAIT_TIMEOUT).orElse(Duration.ofMinutes(10));
    if (waited.compareTo(limit) > 0) {
      throw new WorkflowException(
          ErrorKind.TIMEOUT,
          "the target did not catch up with the source within " + limit + ": " + copy.describe(),
          null,
          false,
          Map.of("sourceKeys", copy.sourceKeys(), "targetKeys", copy.targetKeys()),
          List.of(
              "the sync stays configured: resume to wait longer, or run with rollback to end it",
              "check that the source is reachable from Redis Cloud (its endpoint, firewall, the"
                  + " password)"));
    }
    return Poll.again(Duration.ofSeconds(Math.min(30, 2L * polling.count())));
  }

  @Override
  public boolean readOnly() {
    return true;
  }

  @Override
  public String describe(StepContext ctx) {
    return "wait until the target's key count and a sample of keys match the source's";
  }
}
