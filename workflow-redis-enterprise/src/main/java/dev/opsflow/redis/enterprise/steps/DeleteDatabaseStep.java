package dev.opsflow.redis.enterprise.steps;

import dev.opsflow.redis.enterprise.client.RedisEnterpriseClient;
import dev.opsflow.workflow.ApiException;
import dev.opsflow.workflow.Await;
import dev.opsflow.workflow.Poll;
import dev.opsflow.workflow.Polling;
import dev.opsflow.workflow.PollingStep;
import dev.opsflow.workflow.StepContext;
import java.time.Duration;
import java.util.Optional;

/**
 * Deletes the database {@link FindDatabaseStep} found ({@code DELETE /v1/bdbs/{uid}}) and waits
 * until it is gone ({@code GET /v1/bdbs/{uid}} answers 404). Skipped when there is none: deleting
 * twice is not an error. Outputs {@code database_deleted} and {@code database_id}. A {@link
 * PollingStep}: the first poll of an attempt sends the {@code DELETE} (a 404 counts as deleted, so
 * a retry may send it again), every poll then looks whether the database is gone; in a started run
 * it holds no thread between polls.
 */
public final class DeleteDatabaseStep extends ClusterStep implements PollingStep {

  /**
   * The step, named {@code delete-database}.
   *
   * @param clients how the step gets the client of the run's cluster
   */
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
  public Poll poll(StepContext ctx, Polling polling) {
    int uid = ctx.require(RedisEnterpriseKeys.DATABASE_ID);
    RedisEnterpriseClient client = client(ctx);
    if (polling.count() == 1) {
      ctx.subTask("Deleting database " + uid);
      try {
        client.deleteDatabase(uid);
      } catch (ApiException e) {
        if (e.status() != 404) {
          throw e;
        }
      }
    }
    Poll poll =
        deletion(ctx, uid)
            .poll(polling, () -> gone(client, uid), g -> g, g -> g ? "gone" : "still present");
    if (poll.isDone()) {
      ctx.output("database_deleted", true);
      ctx.output("database_id", uid);
    }
    return poll;
  }

  /** The wait for database {@code uid} to be gone: every 1 s, backing off to 10 s. */
  static Await<Boolean> deletion(StepContext ctx, int uid) {
    return Await.<Boolean>on(ctx, "deletion of database " + uid)
        .every(Duration.ofSeconds(1))
        .backoff(1.5)
        .atMost(Duration.ofSeconds(10))
        .timeout(waitTimeout(ctx));
  }

  /** Whether {@code GET /v1/bdbs/{uid}} answers 404. */
  static boolean gone(RedisEnterpriseClient client, int uid) {
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
