package dev.opsflow.redis.enterprise.steps;

import dev.opsflow.redis.enterprise.client.Database;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.WorkflowException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compares the target with the source once in sync: their key counts ({@code DBSIZE}) and a sample
 * of {@code sampleSize} keys ({@code SCAN} on the source, {@code DUMP} on both: type and value must
 * match). A difference fails as REMOTE_FAILURE naming the counts and up to ten differing keys.
 * Outputs {@code source_keys}, {@code target_keys}, {@code sampled_keys}. Only reads; skipped in a
 * dry run.
 */
public final class VerifyMigratedDataStep extends MigrationStep {

  /**
   * The step, named {@code verify-data}.
   *
   * @param clients how the step gets the client of the run's cluster
   */
  public VerifyMigratedDataStep(ClusterClientFactory clients) {
    super("verify-data", clients);
  }

  @Override
  public Optional<String> precheck(StepContext ctx) {
    return ctx.isDryRun() ? Optional.of("dry run: nothing was copied") : Optional.empty();
  }

  @Override
  public void run(StepContext ctx) {
    var sourceClient = client(ctx);
    var targetClient = targetClient(ctx);
    Database source = sourceClient.database(ctx.require(OperationKeys.SOURCE_ID));
    Database target = targetClient.database(ctx.require(OperationKeys.TARGET_ID));
    int sample = ctx.get(OperationKeys.SAMPLE_SIZE).orElse(100);
    ctx.subTask(
        "Comparing " + sample + " keys of database " + source.uid() + " and " + target.uid());
    long sourceKeys = DataChecks.keyCount(sourceClient, source);
    long targetKeys = DataChecks.keyCount(targetClient, target);
    List<String> differing =
        DataChecks.differingKeys(sourceClient, source, targetClient, target, sample);
    if (sourceKeys != targetKeys || !differing.isEmpty()) {
      throw new WorkflowException(
          ErrorKind.REMOTE_FAILURE,
          "the target has "
              + targetKeys
              + " keys, the source "
              + sourceKeys
              + (differing.isEmpty()
                  ? ""
                  : "; keys that differ: " + differing.subList(0, Math.min(10, differing.size()))),
          null,
          false,
          Map.of("sourceKeys", sourceKeys, "targetKeys", targetKeys, "differing", differing.size()),
          List.of(
              "a source that is still written to differs by the writes in flight: verify again",
              "the sync stays configured; rollback stops it"));
    }
    ctx.output("source_keys", sourceKeys);
    ctx.output("target_keys", targetKeys);
    ctx.output("sampled_keys", Math.min(sample, sourceKeys));
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
