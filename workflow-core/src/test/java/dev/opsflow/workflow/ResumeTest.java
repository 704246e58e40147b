package dev.opsflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.workflow.event.WorkflowEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Resuming a run that stopped PARTIAL, in one engine (durable stores: dev.opsflow.workflow.store).
 */
class ResumeTest {
  static final Key<String> TOKEN = Key.of("token", String.class);

  final List<String> ran = new CopyOnWriteArrayList<>();
  final AtomicBoolean healthy = new AtomicBoolean(false);
  final Recorder recorder = new Recorder();

  Workflow provision() {
    return Workflow.builder("provision")
        .step(
            "create",
            ctx -> {
              ran.add("create");
              ctx.put(TOKEN, "t-1");
            })
        .step("configure", ctx -> ran.add("configure " + ctx.require(TOKEN)))
        .step(
            "verify",
            ctx -> {
              ran.add("verify");
              if (!healthy.get()) {
                throw new IllegalStateException("health check failed");
              }
            })
        .build();
  }

  @Test
  void aPartialRunResumesAtItsFailedStepWithoutRepeatingCompletedOnes() {
    try (var engine = WorkflowEngine.builder().listener(recorder).build()) {
      WorkflowResult partial = engine.run(provision(), Map.of());
      assertThat(partial.status()).isEqualTo(RunState.PARTIAL);
      healthy.set(true);

      WorkflowResult resumed =
          engine.resume(partial.runId(), provision()).await(Duration.ofSeconds(30));

      assertThat(resumed.status()).isEqualTo(RunState.COMPLETED);
      assertThat(resumed.runId()).isEqualTo(partial.runId());
      assertThat(ran).containsExactly("create", "configure t-1", "verify", "verify");
      assertThat(recorder.of(WorkflowEvent.RunStarted.class))
          .extracting(WorkflowEvent.RunStarted::resumed)
          .containsExactly(false, true);
      assertThat(engine.events(partial.runId()))
          .extracting(WorkflowEvent::sequence)
          .doesNotHaveDuplicates()
          .isSorted();
    }
  }

  @Test
  void aRunStillExecutingInThisEngineIsNotResumedASecondTime() throws Exception {
    var inStep = new CountDownLatch(1);
    var release = new CountDownLatch(1);
    Workflow slow =
        Workflow.builder("slow")
            .step(
                "wait",
                ctx -> {
                  ran.add("wait");
                  inStep.countDown();
                  release.await();
                })
            .build();
    try (var engine = WorkflowEngine.builder().build()) {
      WorkflowRun run = engine.start(slow, Map.of(), RunOptions.defaults());
      assertThat(inStep.await(30, TimeUnit.SECONDS)).isTrue();

      assertThatThrownBy(() -> engine.resume(run.runId(), slow))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("is executing in this engine now");

      release.countDown();
      assertThat(run.await(Duration.ofSeconds(30)).status()).isEqualTo(RunState.COMPLETED);
      assertThat(ran).containsExactly("wait");
    }
  }

  @Test
  void aCompletedOrRolledBackRunCannotBeResumed() {
    try (var engine = WorkflowEngine.builder().build()) {
      healthy.set(true);
      WorkflowResult done = engine.run(provision(), Map.of());

      assertThatThrownBy(() -> engine.resume(done.runId(), provision()))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("already ended COMPLETED");
      assertThatThrownBy(() -> engine.resume("no-such-run", provision()))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("unknown run id 'no-such-run'");
    }
  }

  @Test
  void closingTheEngineCancelsItsRuns() throws Exception {
    var inside = new CountDownLatch(1);
    var wf =
        Workflow.builder("long")
            .step(
                "wait",
                ctx -> {
                  inside.countDown();
                  ctx.sleep(Duration.ofHours(1));
                })
            .build();
    WorkflowRun run;
    try (var engine = WorkflowEngine.builder().build()) {
      run = engine.start(wf, Map.of());
      assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();
    }

    assertThat(run.await(Duration.ofSeconds(30)).status()).isEqualTo(RunState.CANCELLED);
  }

  /**
   * A run resumed from a callback of its previous execution (on the thread that execution ends on)
   * is this engine's to cancel and to close: the ending execution must not forget it.
   */
  @Test
  void aRunResumedAsItsLastExecutionEndsIsStillCancelledByTheEngine() throws Exception {
    var registered = new CountDownLatch(1);
    var inside = new CountDownLatch(1);
    var wf =
        Workflow.builder("again")
            .step(
                "work",
                ctx -> {
                  if (!healthy.get()) {
                    registered.await();
                    throw new IllegalStateException("not yet");
                  }
                  inside.countDown();
                  new CountDownLatch(1).await();
                })
            .build();
    try (var engine = WorkflowEngine.builder().build()) {
      WorkflowRun first = engine.start(wf, Map.of());
      var resumed = new CompletableFuture<WorkflowRun>();
      first
          .future()
          .whenComplete(
              (result, error) -> {
                healthy.set(true);
                resumed.complete(engine.resume(first.runId(), wf));
              });
      registered.countDown();
      WorkflowRun again = resumed.get(30, TimeUnit.SECONDS);
      assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();

      assertThat(engine.cancel(again.runId())).isTrue();
      assertThat(again.await(Duration.ofSeconds(30)).status()).isEqualTo(RunState.CANCELLED);
    }
  }
}
