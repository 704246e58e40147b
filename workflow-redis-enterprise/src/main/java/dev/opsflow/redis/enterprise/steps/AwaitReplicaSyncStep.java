package dev.opsflow.redis.enterprise.steps;

import dev.opsflow.workflow.Await;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Poll;
import dev.opsflow.workflow.Polling;
import dev.opsflow.workflow.PollingStep;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.WorkflowException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Waits until every Replica Of source of the target is {@code in-sync} ({@code GET
 * /v1/bdbs/{target}}: {@code replica_sources[].status}, from {@code out-of-sync} through {@code
 * syncing}); a sync that is {@code stopped} fails at once with its {@code last_error}; after {@code
 * waitTimeout} the run stops with the sync still configured. Skipped in a dry run. A {@link
 * PollingStep}.
 */
public final class AwaitReplicaSyncStep extends MigrationStep implements PollingStep {

  /**
   * The step, named {@code await-sync}.
   *
   * @param clients how the step gets the client of the run's cluster
   */
  public AwaitReplicaSyncStep(ClusterClientFactory clients) {
    super("await-sync", clients);
  }

  @Override
  public Optional<String> precheck(StepContext ctx) {
    return ctx.isDryRun() ? Optional.of("dry run: no sync was started") : Optional.empty();
  }

  @Override
  public Poll poll(StepContext ctx, Polling polling) {
    int target = ctx.require(OperationKeys.TARGET_ID);
    var client = targetClient(ctx);
    String what = "database " + target + " to be in sync with its source";
    if (polling.count() == 1) {
      ctx.subTask("Waiting for " + what);
    }
    try {
      return Await.<JsonNode>on(ctx, what)
          .every(Duration.ofSeconds(1))
          .backoff(1.5)
          .atMost(Duration.ofSeconds(10))
          .timeout(waitTimeout(ctx))
          .failWhen(db -> "stopped".equals(db.path("replica_sync").asString("")))
          .poll(
              polling,
              () -> client.databaseRaw(target),
              AwaitReplicaSyncStep::inSync,
              AwaitReplicaSyncStep::describeSync);
    } catch (WorkflowException e) {
      throw new WorkflowException(
          e.kind() == ErrorKind.TIMEOUT ? ErrorKind.TIMEOUT : ErrorKind.REMOTE_FAILURE,
          e.getMessage(),
          e,
          false,
          e.details(),
          List.of(
              "the sync into database "
                  + target
                  + " stays configured: run again with rollback to stop it, or fix the cause and"
                  + " resume (the sync is not started twice)",
              "check that the target cluster reaches the source endpoint and its password"));
    }
  }

  static boolean inSync(JsonNode db) {
    JsonNode sources = db.get("replica_sources");
    if (sources == null || !sources.isArray() || sources.isEmpty()) {
      return false;
    }
    for (JsonNode source : sources) {
      if (!"in-sync".equals(source.path("status").asString(""))) {
        return false;
      }
    }
    return true;
  }

  static String describeSync(JsonNode db) {
    var sb = new StringBuilder("replica_sync " + db.path("replica_sync").asString("?"));
    for (JsonNode source : db.path("replica_sources")) {
      sb.append(", source ").append(source.path("status").asString("?"));
      String error = source.path("last_error").asString("");
      if (!error.isEmpty()) {
        sb.append(" (").append(error).append(')');
      }
    }
    return sb.toString();
  }

  @Override
  public String describe(StepContext ctx) {
    return "wait until the target is in sync (GET /v1/bdbs/{uid}: replica_sources[].status)";
  }
}
