package dev.opsflow.redis.enterprise.steps;

import dev.opsflow.redis.enterprise.client.Action;
import dev.opsflow.redis.enterprise.client.Database;
import dev.opsflow.redis.enterprise.client.RedisEnterpriseClient;
import dev.opsflow.workflow.ApiException;
import dev.opsflow.workflow.Await;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Poll;
import dev.opsflow.workflow.Polling;
import dev.opsflow.workflow.PollingStep;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.WorkflowException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Optional;

/**
 * Waits until the database is {@code active}, polling its creation action ({@code GET
 * /v1/actions/{uid}}) for progress and the database ({@code GET /v1/bdbs/{uid}}) for its status.
 * Fails at once when the action ends {@code failed}, {@code cancelled} or {@code aborted} (all
 * terminal) or the database is {@code creation-failed}; after {@link
 * RedisEnterpriseKeys#WAIT_TIMEOUT} otherwise. Skipped with {@code skipDatabase}. A {@link
 * PollingStep}: in a started run it holds no thread between polls.
 */
public final class AwaitDatabaseStep extends ClusterStep implements PollingStep {

  /**
   * What one poll saw: the database and, while there is one, its action.
   *
   * @param database the database as read
   * @param action its creation action, or null when there is none
   */
  public record DatabaseProgress(Database database, Action action) {
    boolean failed() {
      return (action != null && action.isUnsuccessful()) || database.isCreationFailed();
    }

    String describe() {
      return "database "
          + database.status()
          + (action == null ? "" : ", action " + action.describe());
    }
  }

  /**
   * The step, named {@code await-database}.
   *
   * @param clients how the step gets the client of the run's cluster
   */
  public AwaitDatabaseStep(ClusterClientFactory clients) {
    super("await-database", clients);
  }

  @Override
  public Optional<String> precheck(StepContext ctx) {
    return skipDatabase(ctx) ? Optional.of("skipDatabase: no database") : Optional.empty();
  }

  @Override
  public Poll poll(StepContext ctx, Polling polling) {
    int uid = ctx.require(RedisEnterpriseKeys.DATABASE_ID);
    String actionUid = ctx.get(RedisEnterpriseKeys.DATABASE_ACTION).orElse(null);
    RedisEnterpriseClient client = client(ctx);
    String what =
        "database "
            + uid
            + " ('"
            + ctx.get(RedisEnterpriseKeys.DATABASE_NAME).orElse("?")
            + "') to become active";
    if (polling.count() == 1) {
      ctx.subTask("Waiting for " + what);
    }
    try {
      return Await.<DatabaseProgress>on(ctx, what)
          .every(Duration.ofSeconds(1))
          .backoff(1.5)
          .atMost(Duration.ofSeconds(10))
          .timeout(waitTimeout(ctx))
          .onPoll(
              p ->
                  ctx.progress(
                      p.database().isActive()
                          ? 100
                          : p.action() == null ? 50 : p.action().progressPercent()))
          .failWhen(DatabaseProgress::failed)
          .poll(
              polling,
              () -> read(client, uid, actionUid),
              p -> p.database().isActive(),
              DatabaseProgress::describe);
    } catch (WorkflowException e) {
      String cleanup =
          ctx.get(RedisEnterpriseKeys.DATABASE_CREATED).orElse(false)
              ? "database "
                  + uid
                  + " was created by this run: run with rollback to delete it, or"
                  + " delete it with the delete-database workflow (databaseId="
                  + uid
                  + ")"
              : "database " + uid + " existed before this run and was left as it is";
      if (e.kind() == ErrorKind.REMOTE_FAILURE) {
        var details = new LinkedHashMap<String, Object>(e.details());
        details.put("databaseId", uid);
        throw afterBootstrap(
            ctx,
            new WorkflowException(
                ErrorKind.REMOTE_FAILURE,
                e.getMessage(),
                e.getCause(),
                false,
                details,
                e.suggestions()),
            cleanup);
      }
      throw afterBootstrap(ctx, e, cleanup);
    }
  }

  private static DatabaseProgress read(RedisEnterpriseClient client, int uid, String actionUid) {
    Action action = null;
    if (actionUid != null) {
      try {
        action = client.action(actionUid);
      } catch (ApiException e) {
        // A finished action may be dropped from the list: the database status then tells.
        if (e.status() != 404) {
          throw e;
        }
      }
    }
    return new DatabaseProgress(client.database(uid), action);
  }

  @Override
  public String describe(StepContext ctx) {
    return "wait until the database is active (GET /v1/actions/{uid}, GET /v1/bdbs/{uid})";
  }
}
