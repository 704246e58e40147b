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
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Waits for the import ({@code GET /v1/bdbs/{uid}}: {@code import_status} {@code importing} -&gt;
 * {@code succeeded}, or {@code failed} with {@code import_failure_reason}: {@code download-error},
 * {@code file-corrupted}, {@code out-of-memory}, ...), then for the database to be {@code active}
 * again. Skipped in a dry run.
 */
public final class AwaitImportStep extends BackupStep implements PollingStep {

  /**
   * The step, named {@code await-import}.
   *
   * @param clients how the step gets the client of the run's cluster
   */
  public AwaitImportStep(ClusterClientFactory clients) {
    super("await-import", clients);
  }

  @Override
  public Optional<String> precheck(StepContext ctx) {
    return ctx.isDryRun() ? Optional.of("dry run: no import was started") : Optional.empty();
  }

  @Override
  public Poll poll(StepContext ctx, Polling polling) {
    int uid = ctx.require(RedisEnterpriseKeys.DATABASE_ID);
    var client = client(ctx);
    JsonNode[] last = new JsonNode[1];
    try {
      return Await.<JsonNode>on(ctx, "the import into database " + uid)
          .every(Duration.ofSeconds(2))
          .backoff(1.5)
          .atMost(Duration.ofSeconds(15))
          .timeout(waitTimeout(ctx))
          .onPoll(db -> last[0] = db)
          .failWhen(db -> db.path("import_status").asString("").equals("failed"))
          .poll(
              polling,
              () -> client.databaseRaw(uid),
              db ->
                  db.path("import_status").asString("").equals("succeeded")
                      && db.path("status").asString("").equals("active"),
              db -> "import_status " + db.path("import_status").asString("?"));
    } catch (WorkflowException e) {
      if (e.kind() != ErrorKind.REMOTE_FAILURE || last[0] == null) {
        throw e;
      }
      String reason = last[0].path("import_failure_reason").asString("general-error");
      throw new WorkflowException(
          ErrorKind.REMOTE_FAILURE,
          "the import into database " + uid + " failed: " + reason,
          null,
          false,
          Map.of("databaseId", uid, "reason", reason),
          List.of(
              reason.equals("download-error")
                  ? "the cluster could not fetch the file: check the path or URL and the SFTP key"
                  : reason.equals("file-corrupted")
                      ? "the file is not a readable RDB file: take another backup"
                      : "see the cluster's event log for the import",
              "run restore-database again once fixed"));
    }
  }

  @Override
  public String describe(StepContext ctx) {
    return "wait until the import succeeded (GET /v1/bdbs/{uid}: import_status)";
  }
}
