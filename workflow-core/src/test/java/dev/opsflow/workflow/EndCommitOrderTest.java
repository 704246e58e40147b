package dev.opsflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.CommitPolicyTest.CountingStore;
import dev.opsflow.workflow.event.WorkflowEvent;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * What a caller sees around a run's last commit: the engine says a run ended only once its end is
 * stored, and a run whose end is stored can be resumed at once, even while its execution is still
 * tidying up in this engine.
 */
class EndCommitOrderTest {

  @Test
  void statusSaysARunEndedOnlyOnceItsEndIsStored() {
    var store = new CountingStore(true);
    var engine = new AtomicReference<WorkflowEngine>();
    var seenByStatus = new AtomicReference<RunState>();
    var seenInStore = new AtomicReference<RunState>();
    var wf = Workflow.builder("one").step("a", ctx -> {}).build();
    try (var e =
        WorkflowEngine.builder()
            .store(store)
            .listener(
                event -> {
                  // Delivered after the run's end is decided, before it is committed.
                  if (event instanceof WorkflowEvent.RunFinished f) {
                    seenByStatus.set(engine.get().status(f.runId()).orElseThrow().state());
                    seenInStore.set(store.find(f.runId()).orElseThrow().state());
                  }
                })
            .build()) {
      engine.set(e);

      WorkflowResult result = e.run(wf, Map.of());

      assertThat(result.status()).isEqualTo(RunState.COMPLETED);
      assertThat(seenInStore.get()).isEqualTo(RunState.RUNNING);
      assertThat(seenByStatus.get()).isEqualTo(RunState.RUNNING);
      assertThat(e.status(result.runId()).orElseThrow().state()).isEqualTo(RunState.COMPLETED);
    }
  }

  @Test
  void aCancelledRunIsResumedAsSoonAsItsEndIsStored() throws Exception {
    var store = new CountingStore(true);
    var attempts = new AtomicInteger();
    var started = new CountDownLatch(1);
    var wf =
        Workflow.builder("wait-then-pass")
            .step(
                "a",
                ctx -> {
                  if (attempts.incrementAndGet() == 1) {
                    started.countDown();
                    Thread.sleep(60_000);
                  }
                })
            .build();
    var resumedFromCommit = new CompletableFuture<WorkflowResult>();
    try (var engine = WorkflowEngine.builder().store(store).build()) {
      // The moment the CANCELLED end is stored (on the run's own thread, inside its last commit),
      // another thread resumes the run, and the run's thread holds still until that resume either
      // returned or waits: the run's execution has not returned yet when resume looks at it.
      store.afterCommit =
          stored -> {
            if (stored.state() == RunState.CANCELLED && !resumedFromCommit.isDone()) {
              var resumer =
                  new Thread(
                      () -> {
                        try {
                          resumedFromCommit.complete(engine.resume(stored.runId(), wf).await());
                        } catch (RuntimeException e) {
                          resumedFromCommit.completeExceptionally(e);
                        }
                      });
              resumer.start();
              long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
              while (!resumedFromCommit.isDone()
                  && resumer.getState() != Thread.State.TIMED_WAITING
                  && System.nanoTime() < end) {
                Thread.onSpinWait();
              }
            }
          };
      WorkflowRun run = engine.start(wf, Map.of());
      assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
      run.cancel();

      assertThat(run.await(Duration.ofSeconds(30)).status()).isEqualTo(RunState.CANCELLED);
      WorkflowResult resumed = resumedFromCommit.get(30, TimeUnit.SECONDS);
      assertThat(resumed.status()).isEqualTo(RunState.COMPLETED);
      assertThat(attempts).hasValue(2);
    }
  }
}
