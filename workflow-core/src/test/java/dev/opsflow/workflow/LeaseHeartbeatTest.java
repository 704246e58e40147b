package dev.opsflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.store.InMemoryExecutionStore;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A step longer than the lease keeps its run: the engine renews the lease while it runs. */
class LeaseHeartbeatTest {

  @Test
  void anotherEngineNeverTakesARunWhoseLongStepIsStillRunning() throws Exception {
    var store = new InMemoryExecutionStore();
    var executions = new AtomicInteger();
    var inside = new CountDownLatch(1);
    var release = new CountDownLatch(1);
    var wf =
        Workflow.builder("long-step")
            .step(
                "wait",
                ctx -> {
                  executions.incrementAndGet();
                  inside.countDown();
                  release.await();
                })
            .build();
    // Long enough that a loaded CI machine's scheduling delays stay well inside it.
    Duration lease = Duration.ofSeconds(1);
    try (var owner = WorkflowEngine.builder().store(store).lease(lease).ownerId("a").build();
        var other = WorkflowEngine.builder().store(store).lease(lease).ownerId("b").build()) {
      WorkflowRun run = owner.start(wf, Map.of());
      assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();

      // For four leases, the other engine keeps trying to recover orphaned runs.
      long end = System.nanoTime() + lease.multipliedBy(4).toNanos();
      int taken = 0;
      while (System.nanoTime() < end) {
        taken += other.recover(Map.of("long-step", wf)).size();
      }
      release.countDown();

      assertThat(taken).isZero();
      assertThat(run.await(Duration.ofSeconds(30)).status()).isEqualTo(RunState.COMPLETED);
      assertThat(executions).hasValue(1);
      assertThat(store.find(run.runId()).orElseThrow().owner()).isNull();
    }
  }
}
