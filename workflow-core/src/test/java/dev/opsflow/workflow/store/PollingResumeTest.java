package dev.opsflow.workflow.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.Poll;
import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.StepStatus;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.WorkflowRun;
import dev.opsflow.workflow.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run waiting between polls, holding no thread, is as durable as any: its engine dies, another
 * engine on the same store takes it over and goes on at the polling step, without repeating the
 * step before it.
 */
class PollingResumeTest {

  @Test
  void aRunWaitingBetweenPollsIsTakenOverAtItsPollingStep(@TempDir Path dir) throws Exception {
    var powerOffs = new AtomicInteger();
    var polls = new AtomicInteger();
    var bmcUp = new AtomicBoolean();
    Workflow wf =
        Workflow.builder("power-cycle")
            .step("power-off", ctx -> powerOffs.incrementAndGet())
            .step(
                Step.poll(
                    "wait-for-bmc",
                    (ctx, polling) -> {
                      polls.incrementAndGet();
                      return bmcUp.get() ? Poll.done() : Poll.again(Duration.ofHours(1));
                    }))
            .build();
    // The dying engine's run gives its thread back once it waits between polls.
    var pool = Executors.newFixedThreadPool(2);
    var threadGivenBack = new CountDownLatch(1);
    Executor observed =
        task ->
            pool.execute(
                () -> {
                  try {
                    task.run();
                  } finally {
                    threadGivenBack.countDown();
                  }
                });
    var dying =
        WorkflowEngine.builder()
            .store(FileExecutionStore.open(dir))
            .executor(observed)
            .ownerId("dying")
            .build();
    // An hour later by the survivor's clock, the dying engine's 30 s lease has expired.
    var later = new ManualClock(Instant.now().plus(Duration.ofHours(1)));
    var survivor =
        WorkflowEngine.builder()
            .store(FileExecutionStore.open(dir))
            .ownerId("survivor")
            .clock(later)
            .sleeper(later)
            .build();
    try {
      WorkflowRun waiting = dying.start(wf, Map.of(), RunOptions.defaults());
      assertThat(threadGivenBack.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(polls).hasValue(1);
      assertThat(waiting.status().state()).isEqualTo(RunState.RUNNING);
      assertThat(waiting.status().currentStep()).isEqualTo("wait-for-bmc");
      bmcUp.set(true);

      List<WorkflowRun> taken = survivor.recover(Map.of("power-cycle", wf));

      assertThat(taken).extracting(WorkflowRun::runId).containsExactly(waiting.runId());
      WorkflowResult result = taken.get(0).await(Duration.ofSeconds(30));
      assertThat(result.status()).isEqualTo(RunState.COMPLETED);
      assertThat(result.steps())
          .extracting(s -> s.status())
          .containsExactly(StepStatus.COMPLETED, StepStatus.COMPLETED);
      assertThat(powerOffs).hasValue(1);
      assertThat(polls).hasValue(2);
    } finally {
      survivor.close();
      dying.close();
      pool.shutdownNow();
    }
  }
}
