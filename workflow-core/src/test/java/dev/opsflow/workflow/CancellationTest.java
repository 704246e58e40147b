package dev.opsflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.event.WorkflowEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CancellationTest {
  final Recorder recorder = new Recorder();
  final WorkflowEngine engine = WorkflowEngine.builder().listener(recorder).build();
  final CountDownLatch inside = new CountDownLatch(1);

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void cancelInterruptsABlockedStepAndTheRunEndsCancelled() throws Exception {
    var wf =
        Workflow.builder("blocking")
            .step("first", ctx -> {})
            .step(
                "block",
                ctx -> {
                  inside.countDown();
                  new CountDownLatch(1).await();
                })
            .step("never", ctx -> {})
            .build();
    WorkflowRun run = engine.start(wf, Map.of(), RunOptions.defaults());
    assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();

    assertThat(run.cancel()).isTrue();
    WorkflowResult result = run.await(Duration.ofSeconds(30));

    assertThat(result.status()).isEqualTo(RunState.CANCELLED);
    assertThat(result.success()).isFalse();
    assertThat(result.error().type()).isEqualTo(ErrorKind.CANCELLED);
    assertThat(result.step("block").orElseThrow().status()).isEqualTo(StepStatus.CANCELLED);
    assertThat(result.step("never").orElseThrow().status()).isEqualTo(StepStatus.PENDING);
    assertThat(run.cancel()).isFalse();
  }

  @Test
  void cooperativeCancellationIsSeenByCheckCancelled() throws Exception {
    var seenCancel = new AtomicBoolean();
    var wf =
        Workflow.builder("loop")
            .step(
                "spin",
                ctx -> {
                  inside.countDown();
                  try {
                    while (true) {
                      ctx.checkCancelled();
                      Thread.onSpinWait();
                    }
                  } catch (CancelledException e) {
                    seenCancel.set(true);
                    throw e;
                  }
                })
            .build();
    WorkflowRun run = engine.start(wf, Map.of(), RunOptions.defaults());
    assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();

    run.cancel();

    assertThat(run.await(Duration.ofSeconds(30)).status()).isEqualTo(RunState.CANCELLED);
    assertThat(seenCancel).isTrue();
  }

  @Test
  void cancelDuringAWaitWakesTheSleeper() throws Exception {
    var wf =
        Workflow.builder("waiting")
            .step(
                "poll",
                ctx -> {
                  inside.countDown();
                  ctx.sleep(Duration.ofHours(1));
                })
            .build();
    WorkflowRun run = engine.start(wf, Map.of(), RunOptions.defaults());
    assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();

    run.cancel();

    assertThat(run.await(Duration.ofSeconds(30)).status()).isEqualTo(RunState.CANCELLED);
  }

  @Test
  void cancelWithRollbackRunsCompensationsAndNeverReportsCompleted() throws Exception {
    List<String> undone = new CopyOnWriteArrayList<>();
    var wf =
        Workflow.builder("undo")
            .step(
                Step.builder("create-a").run(ctx -> {}).compensate(ctx -> undone.add("a")).build())
            .step(
                Step.builder("create-b").run(ctx -> {}).compensate(ctx -> undone.add("b")).build())
            .step(
                "block",
                ctx -> {
                  inside.countDown();
                  new CountDownLatch(1).await();
                })
            .build();
    WorkflowRun run = engine.start(wf, Map.of(), RunOptions.defaults().withRollback(true));
    assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();

    run.cancel();
    WorkflowResult result = run.await(Duration.ofSeconds(30));

    assertThat(result.status()).isEqualTo(RunState.CANCELLED);
    assertThat(undone).containsExactly("b", "a");
    assertThat(result.step("create-a").orElseThrow().status()).isEqualTo(StepStatus.COMPENSATED);
    assertThat(recorder.of(WorkflowEvent.RunFinished.class))
        .singleElement()
        .extracting(WorkflowEvent.RunFinished::state)
        .isEqualTo(RunState.CANCELLED);
  }

  @Test
  void cancellingByRunIdReachesTheRun() throws Exception {
    var wf =
        Workflow.builder("by-id")
            .step(
                "block",
                ctx -> {
                  inside.countDown();
                  new CountDownLatch(1).await();
                })
            .build();
    WorkflowRun run = engine.start(wf, Map.of(), RunOptions.defaults());
    assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();

    assertThat(engine.cancel(run.runId())).isTrue();

    assertThat(run.await(Duration.ofSeconds(30)).status()).isEqualTo(RunState.CANCELLED);
    assertThat(engine.cancel("no-such-run")).isFalse();
  }
}
