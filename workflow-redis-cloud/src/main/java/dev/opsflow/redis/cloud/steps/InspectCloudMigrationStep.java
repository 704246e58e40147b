package dev.opsflow.redis.cloud.steps;

import dev.opsflow.redis.cloud.client.Database;
import dev.opsflow.redis.cloud.client.RedisCloudClient;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.WorkflowException;
import dev.opsflow.workflow.resp.RespConnection;
import java.util.List;
import java.util.Map;

/**
 * Checks a migration into a Redis Cloud database before anything changes: the target is a Pro
 * database ({@code GET /subscriptions/{id}/databases/{id}}), {@code active}, not Active-Active
 * (which cannot be a Replica Of), and not the source itself; the source answers a PING with its
 * password. Read-only.
 */
public final class InspectCloudMigrationStep implements Step {
  private final RedisCloudClient client;

  /**
   * A step using {@code client}.
   *
   * @param client the Redis Cloud client the step calls
   */
  public InspectCloudMigrationStep(RedisCloudClient client) {
    this.client = client;
  }

  @Override
  public String name() {
    return "inspect-migration";
  }

  @Override
  public void run(StepContext ctx) {
    Database target = MigrationData.target(client, ctx);
    String source = ctx.require(MigrationKeys.SOURCE_ENDPOINT);
    if (Boolean.TRUE.equals(target.activeActiveRedis())
        || target.crdbDatabases() != null && !target.crdbDatabases().isEmpty()) {
      throw invalid(target, "is Active-Active, which cannot be a Replica Of");
    }
    if (!target.isActive()) {
      throw invalid(target, "is " + target.status() + ": it must be active");
    }
    if (target.endpoint().map(source::equals).orElse(false)) {
      throw invalid(target, "is the source itself (" + source + ")");
    }
    ctx.subTask("Checking the source at " + source);
    try (RespConnection redis = MigrationData.source(ctx)) {
      redis.call("PING");
    }
  }

  private static WorkflowException invalid(Database target, String what) {
    return new WorkflowException(
        ErrorKind.VALIDATION,
        "target database " + target.databaseId() + " ('" + target.name() + "') " + what,
        null,
        false,
        Map.of("databaseId", target.databaseId(), "status", String.valueOf(target.status())),
        List.of("choose an active, single-region Pro database as the target"));
  }

  @Override
  public boolean readOnly() {
    return true;
  }

  @Override
  public String describe(StepContext ctx) {
    return "check the target database and PING the source";
  }
}
