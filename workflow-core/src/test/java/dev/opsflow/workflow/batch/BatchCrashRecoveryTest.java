package dev.opsflow.workflow.batch;

import static dev.opsflow.workflow.batch.BatchFixtures.PATIENCE;
import static dev.opsflow.workflow.batch.BatchFixtures.await;
import static dev.opsflow.workflow.batch.BatchFixtures.number;
import static dev.opsflow.workflow.batch.BatchFixtures.servers;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.Input;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.store.FileExecutionStore;
import dev.opsflow.workflow.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchCrashRecoveryTest {
  final Map<String, Integer> powerOffs = new ConcurrentHashMap<>();
  final Map<String, Integer> commissions = new ConcurrentHashMap<>();

  @Test
  void runningTheBatchAgainAfterItsEngineDiedTakesOverItsRunsAndRunsOnlyWhatIsLeft(
      @TempDir Path dir) throws Exception {
    var stuck = new AtomicBoolean(true);
    var twoStuck = new CountDownLatch(2);
    Workflow wf =
        Workflow.builder("commission")
            .input(Input.required(BatchFixtures.SERVER))
            .step(
                "power-off",
                ctx -> powerOffs.merge(ctx.require(BatchFixtures.SERVER), 1, Integer::sum))
            .step(
                "commission",
                ctx -> {
                  commissions.merge(ctx.require(BatchFixtures.SERVER), 1, Integer::sum);
                  if (number(ctx) >= 4 && stuck.get()) {
                    twoStuck.countDown();
                    new CountDownLatch(1).await(); // the engine dies here (until closed)
                  }
                })
            .build();
    Batch batch =
        Batch.of(servers(10))
            .withOptions(BatchOptions.defaults().withBatchId("rack-9").withMaxParallel(2));
    var dying =
        WorkflowEngine.builder().store(FileExecutionStore.open(dir)).ownerId("dying").build();
    // The second engine's clock is an hour later, so the dead engine's 30 s leases have expired.
    var later = new ManualClock(Instant.now().plus(Duration.ofHours(1)));
    var survivor =
        WorkflowEngine.builder()
            .store(FileExecutionStore.open(dir))
            .ownerId("survivor")
            .clock(later)
            .sleeper(later)
            .build();
    BatchRun dead = batch.start(dying, wf);
    try {
      await(twoStuck);
      stuck.set(false);

      BatchResult result = batch.start(survivor, wf).await(PATIENCE);

      assertThat(result.state()).isEqualTo(BatchState.COMPLETED);
      assertThat(result.counts().succeeded()).isEqualTo(10);
      assertThat(powerOffs)
          .hasSize(10)
          .allSatisfy(
              (server, times) -> assertThat(times).as("power-off of %s", server).isEqualTo(1));
      assertThat(commissions)
          .containsEntry("srv-4", 2)
          .containsEntry("srv-5", 2)
          .containsEntry("srv-0", 1)
          .containsEntry("srv-9", 1);
    } finally {
      survivor.close();
      // Let the "dead" engine's stuck runs end before the directory goes.
      dead.cancel();
      dead.await(PATIENCE);
      dying.close();
    }
  }
}
