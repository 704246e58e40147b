package dev.opsflow.redis.enterprise.steps;

import dev.opsflow.redis.enterprise.client.Database;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.WorkflowException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks the restored database: PING and a key round trip, then its key count ({@code DBSIZE}),
 * which must be {@code expectedKeys} when given. Outputs {@code restored_keys}. Only reads (the
 * round trip's key expires at once); skipped in a dry run.
 */
public final class VerifyRestoredDataStep extends BackupStep {

  /**
   * The step, named {@code verify-restore}.
   *
   * @param clients how the step gets the client of the run's cluster
   */
  public VerifyRestoredDataStep(ClusterClientFactory clients) {
    super("verify-restore", clients);
  }

  @Override
  public Optional<String> precheck(StepContext ctx) {
    return ctx.isDryRun() ? Optional.of("dry run: nothing was imported") : Optional.empty();
  }

  @Override
  public void run(StepContext ctx) {
    var client = client(ctx);
    Database db = database(ctx, client);
    DataChecks.roundTrip(client, db, ctx.runId());
    long keys = DataChecks.keyCount(client, db);
    Optional<Long> expected = ctx.get(OperationKeys.EXPECTED_KEYS);
    if (expected.isPresent() && expected.get() != keys) {
      throw new WorkflowException(
          ErrorKind.REMOTE_FAILURE,
          "database "
              + db.uid()
              + " holds "
              + keys
              + " keys after the import, expected "
              + expected.get(),
          null,
          false,
          Map.of("databaseId", db.uid(), "keys", keys, "expectedKeys", expected.get()),
          List.of("check that the file is the backup you meant"));
    }
    ctx.output("restored_keys", keys);
  }

  @Override
  public String describe(StepContext ctx) {
    return "PING, a key round trip and the key count of the restored database";
  }
}
