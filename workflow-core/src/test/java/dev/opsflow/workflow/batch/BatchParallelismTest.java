package dev.opsflow.workflow.batch;

import static dev.opsflow.workflow.batch.BatchFixtures.PATIENCE;
import static dev.opsflow.workflow.batch.BatchFixtures.await;
import static dev.opsflow.workflow.batch.BatchFixtures.oneStep;
import static dev.opsflow.workflow.batch.BatchFixtures.servers;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.Input;
import dev.opsflow.workflow.Key;
import dev.opsflow.workflow.Parallel;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchParallelismTest {
  final WorkflowEngine engine = WorkflowEngine.builder().build();
  final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger maxInFlight = new AtomicInteger();

  @AfterEach
  void close() {
    engine.close();
  }

  private void enter() {
    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
  }

  @Test
  void neverHasMoreThanMaxParallelItemsInFlight() {
    // Items meet in fours: were the limit lower the barrier would never trip, were it higher
    // the counter would show it.
    var fours = new CyclicBarrier(4);
    var events = new BatchFixtures.Events();

    BatchResult result =
        Batch.of(servers(40))
            .withOptions(BatchOptions.defaults().withMaxParallel(4))
            .withListener(events)
            .run(
                engine,
                oneStep(
                    ctx -> {
                      enter();
                      fours.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                      inFlight.decrementAndGet();
                    }));

    assertThat(result.state()).isEqualTo(BatchState.COMPLETED);
    assertThat(result.counts().succeeded()).isEqualTo(40);
    assertThat(maxInFlight.get()).isEqualTo(4);
    assertThat(events.all).allSatisfy(e -> assertThat(e.counts().running()).isLessThanOrEqualTo(4));
  }

  @Test
  void runsTenThousandItemsWithAThousandInFlightAtOnce() {
    // The first 1,000 items wait until 1,000 are in flight together; the rest pass straight on.
    var thousandInFlight = new CountDownLatch(1_000);

    BatchResult result =
        Batch.of(servers(10_000))
            .withOptions(BatchOptions.defaults().withMaxParallel(1_000))
            .run(
                engine,
                oneStep(
                    ctx -> {
                      enter();
                      thousandInFlight.countDown();
                      await(thousandInFlight);
                      inFlight.decrementAndGet();
                    }));

    assertThat(result.state()).isEqualTo(BatchState.COMPLETED);
    assertThat(result.counts().succeeded()).isEqualTo(10_000);
    assertThat(maxInFlight.get()).isEqualTo(1_000);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static final Key<List<Integer>> DISKS = (Key) Key.of("disks", List.class);

  @Test
  void parallelGroupsInsideItemsGetTheirParallelismWhileTheBatchHoldsManyThreads() {
    // 300 items in flight hold more threads than the JDK 17 pool's base of 256; then each item's
    // group runs its 4 disks, and all 1,200 disks must be in flight together: the groups get
    // their parallelism on the same scheduler instead of running one disk at a time on the
    // item's thread (which would never let the latch open).
    int items = 300;
    var allItemsInFlight = new CountDownLatch(items);
    var allDisksInFlight = new CountDownLatch(items * 4);
    Workflow wipeDisks =
        Workflow.builder("wipe-disks")
            .input(Input.required(BatchFixtures.SERVER))
            .step(
                "list-disks",
                ctx -> {
                  allItemsInFlight.countDown();
                  await(allItemsInFlight);
                  ctx.put(DISKS, List.of(0, 1, 2, 3));
                })
            .parallel(
                Parallel.over("wipe", DISKS, Integer.class)
                    .maxParallel(4)
                    .each(
                        (ctx, disk) -> {
                          allDisksInFlight.countDown();
                          await(allDisksInFlight);
                          return disk;
                        }))
            .build();

    BatchResult result =
        Batch.of(servers(items))
            .withOptions(BatchOptions.defaults().withMaxParallel(items))
            .run(engine, wipeDisks);

    assertThat(result.state()).isEqualTo(BatchState.COMPLETED);
    assertThat(result.counts().succeeded()).isEqualTo(items);
  }
}
