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
 * Waits for the export ({@code GET /v1/bdbs/{uid}}: {@code export_status} {@code exporting} -&gt;
 * {@code succeeded} with a new {@code last_export_time}, or {@code failed} with {@code
 * export_failure_reason}: {@code no-permission}, {@code wrong-file-path}, {@code general-error}).
 * Outputs {@code export_time} and {@code export_location} (no secret). Skipped in a dry run.
 */
public final class AwaitExportStep extends BackupStep implements PollingStep {

  /**
   * The step, named {@code await-export}.
   *
   * @param clients how the step gets the client of the run's cluster
   */
  public AwaitExportStep(ClusterClientFactory clients) {
    super("await-export", clients);
  }

  @Override
  public Optional<String> precheck(StepContext ctx) {
    return ctx.isDryRun() ? Optional.of("dry run: no export was started") : Optional.empty();
  }

  @Override
  public Poll poll(StepContext ctx, Polling polling) {
    int uid = ctx.require(RedisEnterpriseKeys.DATABASE_ID);
    String before = ctx.get(OperationKeys.EXPORT_BEFORE).orElse("");
    var client = client(ctx);
    JsonNode[] last = new JsonNode[1];
    Poll poll;
    try {
      poll =
          Await.<JsonNode>on(ctx, "the export of database " + uid)
              .every(Duration.ofSeconds(2))
              .backoff(1.5)
              .atMost(Duration.ofSeconds(15))
              .timeout(waitTimeout(ctx))
              .onPoll(db -> last[0] = db)
              .failWhen(db -> db.path("export_status").asString("").equals("failed"))
              .poll(
                  polling,
                  () -> client.databaseRaw(uid),
                  db ->
                      db.path("export_status").asString("").equals("succeeded")
                          && !db.path("last_export_time").asString("").equals(before),
                  db -> "export_status " + db.path("export_status").asString("?"));
    } catch (WorkflowException e) {
      if (e.kind() == ErrorKind.REMOTE_FAILURE && last[0] != null) {
        throw failure(uid, last[0].path("export_failure_reason").asString("general-error"));
      }
      throw e;
    }
    if (poll.isDone()) {
      ctx.output("export_time", last[0].path("last_export_time").asString());
      ctx.output("export_location", displayLocation(ctx));
    }
    return poll;
  }

  /** A failed export as a typed error with what to check for its reason. */
  static WorkflowException failure(int uid, String reason) {
    String advice =
        switch (reason) {
          case "no-permission" ->
              "the cluster could not write there: check the credentials (the SFTP key authorized"
                  + " for the user, the FTP password, the S3 keys and the bucket's policy) or that"
                  + " redislabs:redislabs may write on the mount point";
          case "wrong-file-path" ->
              "the path does not exist: create the mount point on all nodes, or the FTP or SFTP"
                  + " directory, or the S3 bucket";
          default -> "see the cluster's event log for the export of database " + uid;
        };
    return new WorkflowException(
        ErrorKind.REMOTE_FAILURE,
        "the export of database " + uid + " failed: " + reason,
        null,
        false,
        Map.of("databaseId", uid, "reason", reason),
        List.of(advice, "the database is unchanged: run backup-database again once fixed"));
  }

  @Override
  public String describe(StepContext ctx) {
    return "wait until the export succeeded (GET /v1/bdbs/{uid}: export_status)";
  }
}
