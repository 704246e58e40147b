package dev.opsflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IdempotencyTest {
  final WorkflowEngine engine = WorkflowEngine.builder().build();
  final AtomicInteger executions = new AtomicInteger();

  @AfterEach
  void close() {
    engine.close();
  }

  private Workflow counting() {
    return Workflow.builder("create-subscription")
        .step("create", ctx -> ctx.output("id", executions.incrementAndGet()))
        .build();
  }

  @Test
  void secondRunWithSameKeyExecutesNothingAndReturnsTheStoredResult() {
    var key = RunOptions.defaults().withIdempotencyKey("sub-prod");
    WorkflowResult first = engine.run(counting(), Map.of(), key);

    WorkflowResult second = engine.run(counting(), Map.of(), key);

    assertThat(executions).hasValue(1);
    assertThat(second.runId()).isEqualTo(first.runId());
    assertThat(second).isEqualTo(first);
  }

  @Test
  void sixteenConcurrentDuplicatesExecuteOnceAndAllGetThatResult() throws Exception {
    var release = new CountDownLatch(1);
    var wf =
        Workflow.builder("slow-create")
            .step(
                "create",
                ctx -> {
                  executions.incrementAndGet();
                  release.await();
                  ctx.output("id", 42);
                })
            .build();
    ExecutorService callers = Executors.newFixedThreadPool(16);
    try {
      var barrier = new CyclicBarrier(16);
      List<Future<WorkflowResult>> futures = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        futures.add(
            callers.submit(
                () -> {
                  barrier.await();
                  return engine
                      .start(wf, Map.of(), RunOptions.defaults().withIdempotencyKey("k"))
                      .await(Duration.ofSeconds(30));
                }));
      }
      // Let every caller arrive before the single execution finishes.
      while (executions.get() == 0) {
        Thread.onSpinWait();
      }
      release.countDown();
      var results = new ArrayList<WorkflowResult>();
      for (var f : futures) {
        results.add(f.get(30, TimeUnit.SECONDS));
      }

      assertThat(executions).hasValue(1);
      assertThat(results).extracting(WorkflowResult::runId).containsOnly(results.get(0).runId());
      assertThat(results).allSatisfy(r -> assertThat(r.outputs()).containsEntry("id", 42));
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void aKeyWhoseRunFailedMayRunAgain() {
    var attempts = new AtomicInteger();
    var wf =
        Workflow.builder("flaky-once")
            .step(
                "create",
                ctx -> {
                  if (attempts.incrementAndGet() == 1) {
                    throw new IllegalStateException("first try fails");
                  }
                })
            .build();
    var key = RunOptions.defaults().withIdempotencyKey("again");

    WorkflowResult failed = engine.run(wf, Map.of(), key);
    WorkflowResult retried = engine.run(wf, Map.of(), key);

    assertThat(failed.status()).isEqualTo(RunState.FAILED);
    assertThat(retried.success()).isTrue();
    assertThat(retried.runId()).isNotEqualTo(failed.runId());
    assertThat(attempts).hasValue(2);
  }

  @Test
  void runsWithoutAKeyAlwaysExecute() {
    engine.run(counting(), Map.of());
    engine.run(counting(), Map.of());

    assertThat(executions).hasValue(2);
  }
}
