package dev.opsflow.workflow.batch;

import static dev.opsflow.workflow.batch.BatchFixtures.PATIENCE;
import static dev.opsflow.workflow.batch.BatchFixtures.await;
import static dev.opsflow.workflow.batch.BatchFixtures.number;
import static dev.opsflow.workflow.batch.BatchFixtures.oneStep;
import static dev.opsflow.workflow.batch.BatchFixtures.servers;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowException;
import dev.opsflow.workflow.store.InMemoryExecutionStore;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchCancelAndResumeTest {
  final InMemoryExecutionStore store = new InMemoryExecutionStore();
  final WorkflowEngine engine = WorkflowEngine.builder().store(store).build();
  final WorkflowEngine otherEngine = WorkflowEngine.builder().store(store).build();
  final Set<Integer> executed = ConcurrentHashMap.newKeySet();
  final List<Integer> executedAgain = new java.util.concurrent.CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    engine.close();
    otherEngine.close();
  }

  /** The first 4 servers finish at once; later ones wait until cancelled unless released. */
  private Workflow waitingAfterFour(CountDownLatch twoWaiting, AtomicBoolean released) {
    return oneStep(
        ctx -> {
          int n = number(ctx);
          if (!executed.add(n)) {
            executedAgain.add(n);
          }
          if (n >= 4 && !released.get()) {
            twoWaiting.countDown();
            new CountDownLatch(1).await(); // until cancelled
          }
        });
  }

  @Test
  void cancelMidBatchCancelsTheRunsInFlightAndStartsNothingMore() throws Exception {
    var twoWaiting = new CountDownLatch(2);
    var events = new BatchFixtures.Events();
    BatchRun run =
        Batch.of(servers(10))
            .withOptions(BatchOptions.defaults().withMaxParallel(2))
            .withListener(events)
            .start(engine, waitingAfterFour(twoWaiting, new AtomicBoolean()));
    await(twoWaiting);

    assertThat(run.cancel()).isTrue();
    BatchResult result = run.await(PATIENCE);

    assertThat(result.state()).isEqualTo(BatchState.CANCELLED);
    assertThat(result.counts()).isEqualTo(new BatchCounts(10, 4, 0, 4, 0, 2));
    assertThat(result.items(ItemState.CANCELLED))
        .extracting(BatchResult.Item::key)
        .containsExactly("srv-4", "srv-5");
    assertThat(result.item("srv-4").orElseThrow().result().status()).isEqualTo(RunState.CANCELLED);
    assertThat(executed).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
    assertThat(events.of(BatchEvent.BatchStopping.class))
        .singleElement()
        .satisfies(e -> assertThat(e.cancellingRunning()).isTrue());
    assertThat(run.cancel()).isFalse();
  }

  @Test
  void runningACancelledBatchAgainRunsOnlyTheItemsThatDidNotComplete() throws Exception {
    var twoWaiting = new CountDownLatch(2);
    var released = new AtomicBoolean();
    BatchOptions options = BatchOptions.defaults().withBatchId("rack-12").withMaxParallel(2);
    Workflow wf = waitingAfterFour(twoWaiting, released);
    BatchRun first = Batch.of(servers(10)).withOptions(options).start(engine, wf);
    await(twoWaiting);
    first.cancel();
    BatchResult before = first.await(PATIENCE);
    released.set(true);

    // Another engine on the same store, as after a restart.
    BatchResult after = Batch.of(servers(10)).withOptions(options).run(otherEngine, wf);

    assertThat(after.state()).isEqualTo(BatchState.COMPLETED);
    assertThat(after.counts().succeeded()).isEqualTo(10);
    assertThat(executedAgain).containsExactlyInAnyOrder(4, 5);
    assertThat(executed).hasSize(10);
    for (int i = 0; i < 4; i++) {
      assertThat(after.items().get(i).runId()).isEqualTo(before.items().get(i).runId());
    }
  }

  @Test
  void runningABatchWithFailuresAgainRerunsOnlyTheFailedItems() {
    var broken = new AtomicBoolean(true);
    Workflow wf =
        oneStep(
            ctx -> {
              int n = number(ctx);
              if (!executed.add(n)) {
                executedAgain.add(n);
              }
              if (broken.get() && n % 2 == 1) {
                throw new WorkflowException(ErrorKind.CONNECTION, "srv-" + n + " unreachable");
              }
            });
    Batch batch =
        Batch.of(servers(10))
            .withOptions(BatchOptions.defaults().withBatchId("rack-7").withMaxParallel(3));

    BatchResult first = batch.run(engine, wf);
    broken.set(false);
    BatchResult second = batch.run(engine, wf);

    assertThat(first.counts()).isEqualTo(new BatchCounts(10, 0, 0, 5, 5, 0));
    assertThat(second.state()).isEqualTo(BatchState.COMPLETED);
    assertThat(executedAgain).containsExactlyInAnyOrder(1, 3, 5, 7, 9);
  }
}
