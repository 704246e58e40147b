package dev.opsflow.redis.enterprise.steps;

import dev.opsflow.redis.enterprise.client.RedisEnterpriseClient;
import dev.opsflow.workflow.ApiException;
import dev.opsflow.workflow.Await;
import dev.opsflow.workflow.StepContext;
import java.time.Duration;
import java.util.Optional;

/**
 * Deletes the database {@link FindDatabaseStep} found ({@code DELETE /v1/bdbs/{uid}}) and waits
 * until it is gone ({@code GET /v1/bdbs/{uid}} answers 404). Skipped when there is none: deleting
 * twice is not an error. Outputs {@code database_deleted} and {@code database_id}.
 */
public final class DeleteDatabaseStep extends ClusterStep {

  /** The step, named {@code delete-database}. */
  public DeleteDatabaseStep(ClusterClientFactory clients) {
    super("delete-database", clients);
  }

  @Override
  public Optional<String> precheck(StepContext ctx) {
    if (ctx.get(RedisEnterpriseKeys.DATABASE_ID).isPresent()) {
      return Optional.empty();
    }
    ctx.output("database_deleted", false);
    return Optional.of(
        "no database "
            + ctx.get(RedisEnterpriseKeys.DATABASE_UID)
                .map(String::valueOf)
                .or(() -> ctx.get(RedisEnterpriseKeys.DATABASE_NAME).map(n -> "named '" + n + "'"))
                .orElse("")
            + ": nothing to delete");
  }

  @Override
  public void run(StepContext ctx) {
    int uid = ctx.require(RedisEnterpriseKeys.DATABASE_ID);
    RedisEnterpriseClient client = client(ctx);
    ctx.subTask("Deleting database " + uid);
    try {
      client.deleteDatabase(uid);
    } catch (ApiException e) {
      if (e.status() != 404) {
        throw e;
      }
    }
    Await.<Boolean>on(ctx, "deletion of database " + uid)
        .every(Duration.ofSeconds(1))
        .backoff(1.5)
        .atMost(Duration.ofSeconds(10))
        .timeout(waitTimeout(ctx))
        .until(() -> gone(client, uid), g -> g, g -> g ? "gone" : "still present");
    ctx.output("database_deleted", true);
    ctx.output("database_id", uid);
  }

  private static boolean gone(RedisEnterpriseClient client, int uid) {
    try {
      client.database(uid);
      return false;
    } catch (ApiException e) {
      if (e.status() == 404) {
        return true;
      }
      throw e;
    }
  }

  @Override
  public String describe(StepContext ctx) {
    return "delete database "
        + ctx.get(RedisEnterpriseKeys.DATABASE_ID).map(String::valueOf).orElse("?")
        + " (DELETE /v1/bdbs/{uid})";
  }
}
