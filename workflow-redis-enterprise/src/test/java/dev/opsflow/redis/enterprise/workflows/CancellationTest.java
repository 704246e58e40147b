package dev.opsflow.redis.enterprise.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.StepStatus;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.event.WorkflowEvent;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CancellationTest {
  private final CountDownLatch waiting = new CountDownLatch(1);
  private final SimulatedClusterFixture f =
      new SimulatedClusterFixture(
          event -> {
            if (event instanceof WorkflowEvent.StepProgress progress
                && progress.step().equals("await-database")) {
              waiting.countDown();
            }
          });

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void cancellingDuringTheDatabaseWaitStopsTheRunPromptly() throws InterruptedException {
    f.sim.faults().nextActionNeverEnds();
    var run =
        f.engine.start(
            RedisEnterpriseWorkflows.initCluster(f.clients),
            f.inputs("waitTimeout", Duration.ofDays(365)),
            RunOptions.defaults());

    assertThat(waiting.await(30, TimeUnit.SECONDS)).as("the run reached the wait").isTrue();
    run.cancel();
    WorkflowResult result = run.await(Duration.ofSeconds(30));

    assertThat(result.status()).isEqualTo(RunState.CANCELLED);
    assertThat(result.step("await-database").orElseThrow().status())
        .isEqualTo(StepStatus.CANCELLED);
    assertThat(result.step("verify-database-connectivity").orElseThrow().status())
        .isNotEqualTo(StepStatus.COMPLETED);
  }
}
