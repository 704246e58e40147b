package dev.opsflow.workflow.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.Poll;
import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowRun;
import dev.opsflow.workflow.batch.Batch;
import dev.opsflow.workflow.batch.BatchItem;
import dev.opsflow.workflow.batch.BatchOptions;
import dev.opsflow.workflow.batch.BatchResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * On the JDK 17 pool (forced here, so JDK 21+ tests it too), runs waiting between polls hold no
 * thread: far more runs wait at once than the pool has threads.
 */
class DetachedWaitTest {

  /**
   * 2,000 runs wait an hour between polls on a pool of at most 256 threads. Were a waiting run to
   * hold its thread, the 257th start would run on this thread (the pool's caller-runs policy) and
   * wait there for an hour; instead all 2,000 poll once, and a close cancels them all.
   */
  @Test
  void thousandsOfRunsWaitOnAPoolOfAFewHundredThreads() throws Exception {
    int runs = 2_000;
    var firstPolls = new CountDownLatch(runs);
    var wf =
        Workflow.builder("wait-an-hour")
            .step(
                Step.poll(
                    "wait",
                    (ctx, polling) -> {
                      firstPolls.countDown();
                      return Poll.again(Duration.ofHours(1));
                    }))
            .build();
    var pool = new DefaultExecutors.Pool();
    var started = new ArrayList<WorkflowRun>();
    try (var engine = WorkflowEngine.builder().executor(pool).build()) {
      for (int i = 0; i < runs; i++) {
        started.add(engine.start(wf, Map.of(), RunOptions.defaults()));
      }
      // Reached only if no waiting run holds a thread: 2,000 waits on at most 256 threads.
      assertThat(firstPolls.await(60, TimeUnit.SECONDS)).isTrue();
      assertThat(started).allSatisfy(r -> assertThat(r.status().currentStep()).isEqualTo("wait"));
    } finally {
      pool.shutdownNow();
    }
    assertThat(started)
        .allSatisfy(
            r ->
                assertThat(r.await(Duration.ofSeconds(30)).status()).isEqualTo(RunState.CANCELLED));
  }

  /**
   * Issue #5's scale: 10,000 items, 1,000 in flight, each polling twice 50 ms apart. The batch
   * reserves room for 1,000 threads; the waits use a fraction of them.
   */
  @Test
  void aBatchOfTenThousandWithAThousandInFlightUsesFewerThreadsThanRunsInFlight() {
    var polls = new AtomicInteger();
    var wf =
        Workflow.builder("power-cycle")
            .step(
                Step.poll(
                    "wait-for-bmc",
                    (ctx, polling) -> {
                      polls.incrementAndGet();
                      return polling.count() == 3 ? Poll.done() : Poll.again(Duration.ofMillis(50));
                    }))
            .build();
    List<BatchItem> items = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      items.add(BatchItem.of("srv-" + i, Map.of()));
    }
    var pool = new DefaultExecutors.Pool();
    try (var engine = WorkflowEngine.builder().executor(pool).build()) {
      BatchResult result =
          Batch.of(items)
              .withOptions(BatchOptions.defaults().withMaxParallel(1_000))
              .run(engine, wf);

      assertThat(result.success()).isTrue();
      assertThat(result.counts().succeeded()).isEqualTo(10_000);
      assertThat(polls).hasValue(30_000);
      assertThat(pool.getLargestPoolSize()).isLessThan(1_000);
    } finally {
      pool.shutdownNow();
    }
  }
}
