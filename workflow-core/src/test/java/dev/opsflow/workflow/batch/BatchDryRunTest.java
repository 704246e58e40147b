package dev.opsflow.workflow.batch;

import static dev.opsflow.workflow.batch.BatchFixtures.oneStep;
import static dev.opsflow.workflow.batch.BatchFixtures.servers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.WorkflowEngine;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchDryRunTest {
  final WorkflowEngine engine = WorkflowEngine.builder().build();
  final AtomicInteger executions = new AtomicInteger();

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void aDryRunNeverStandsInForTheRealRunOfTheSameBatch() {
    BatchOptions options = BatchOptions.defaults().withBatchId("rack-3");
    var wf = oneStep(ctx -> executions.incrementAndGet());

    BatchResult dry =
        Batch.of(servers(5))
            .withOptions(options.withRunOptions(RunOptions.defaults().withDryRun(true)))
            .run(engine, wf);
    BatchResult real = Batch.of(servers(5)).withOptions(options).run(engine, wf);

    assertThat(dry.items()).allSatisfy(i -> assertThat(i.result().dryRun()).isTrue());
    assertThat(real.items())
        .allSatisfy(i -> assertThat(i.result().status()).isEqualTo(RunState.COMPLETED));
    assertThat(executions.get()).isEqualTo(5);
  }

  @Test
  void optionsThatTheBatchDerivesOrThatMakeNoSenseAreRejectedNamingTheOption() {
    assertThatThrownBy(() -> BatchOptions.defaults().withMaxParallel(0))
        .hasMessage("maxParallel must be >= 1, was 0");
    assertThatThrownBy(() -> BatchOptions.defaults().withMaxFailedPercentage(101))
        .hasMessage("maxFailedPercentage must be between 0 and 100, was 101");
    assertThatThrownBy(() -> BatchOptions.defaults().withBatchId("rack 12"))
        .hasMessageContaining("batchId 'rack 12'");
    assertThatThrownBy(
            () ->
                BatchOptions.defaults()
                    .withRunOptions(RunOptions.defaults().withIdempotencyKey("k")))
        .hasMessageContaining("idempotencyKey");
    assertThatThrownBy(() -> BatchItem.of(" ", java.util.Map.of()))
        .hasMessage("item key must not be blank");
  }
}
