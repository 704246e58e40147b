package dev.opsflow.workflow.batch;

import static dev.opsflow.workflow.batch.BatchFixtures.await;
import static dev.opsflow.workflow.batch.BatchFixtures.number;
import static dev.opsflow.workflow.batch.BatchFixtures.oneStep;
import static dev.opsflow.workflow.batch.BatchFixtures.servers;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Input;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowException;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchFailureTest {
  final WorkflowEngine engine = WorkflowEngine.builder().build();
  final AtomicInteger executions = new AtomicInteger();

  @AfterEach
  void close() {
    engine.close();
  }

  private static WorkflowException broken(int n) {
    return new WorkflowException(ErrorKind.REMOTE_FAILURE, "BMC of srv-" + n + " unreachable");
  }

  @Test
  void stopsOnceMoreThanMaxFailedPercentageOfAllItemsFailed() {
    // 20 items, odd ones fail, at most 20% (4 items) may fail: the 5th failure, item 9, stops it.
    BatchResult result =
        Batch.of(servers(20))
            .withOptions(BatchOptions.defaults().withMaxParallel(1).withMaxFailedPercentage(20))
            .run(
                engine,
                oneStep(
                    ctx -> {
                      executions.incrementAndGet();
                      if (number(ctx) % 2 == 1) {
                        throw broken(number(ctx));
                      }
                    }));

    assertThat(result.state()).isEqualTo(BatchState.STOPPED);
    assertThat(executions.get()).isEqualTo(10);
    assertThat(result.counts()).isEqualTo(new BatchCounts(20, 10, 0, 5, 5, 0));
    assertThat(result.stopReason())
        .isEqualTo("5 of 20 items failed, more than maxFailedPercentage 20%");
    assertThat(result.item("srv-9").orElseThrow().state()).isEqualTo(ItemState.FAILED);
    assertThat(result.item("srv-10").orElseThrow().state()).isEqualTo(ItemState.PENDING);
    assertThat(result.item("srv-10").orElseThrow().result()).isNull();
  }

  @Test
  void withContinueOnErrorOffStopsAtTheFirstFailure() {
    BatchResult result =
        Batch.of(servers(10))
            .withOptions(BatchOptions.defaults().withMaxParallel(1).withContinueOnError(false))
            .run(
                engine,
                oneStep(
                    ctx -> {
                      executions.incrementAndGet();
                      if (number(ctx) == 3) {
                        throw broken(3);
                      }
                    }));

    assertThat(result.state()).isEqualTo(BatchState.STOPPED);
    assertThat(executions.get()).isEqualTo(4);
    assertThat(result.counts()).isEqualTo(new BatchCounts(10, 6, 0, 3, 1, 0));
    assertThat(result.stopReason()).contains("srv-3").contains("continueOnError is off");
    assertThat(result.item("srv-3").orElseThrow().result().error().message())
        .isEqualTo("BMC of srv-3 unreachable");
  }

  @Test
  void withContinueOnErrorRunsEveryItemAndReportsTheFailures() {
    BatchResult result =
        Batch.of(servers(10))
            .run(
                engine,
                oneStep(
                    ctx -> {
                      if (number(ctx) % 4 == 1) {
                        throw broken(number(ctx));
                      }
                    }));

    assertThat(result.state()).isEqualTo(BatchState.COMPLETED_WITH_FAILURES);
    assertThat(result.success()).isFalse();
    assertThat(result.items(ItemState.FAILED))
        .extracting(BatchResult.Item::key)
        .containsExactly("srv-1", "srv-5", "srv-9");
    assertThat(result.counts().succeeded()).isEqualTo(7);
  }

  @Test
  void aStopCancelsTheRunsInFlightWhenAskedTo() {
    var othersWaiting = new CountDownLatch(2);
    BatchResult result =
        Batch.of(servers(10))
            .withOptions(
                BatchOptions.defaults()
                    .withMaxParallel(3)
                    .withContinueOnError(false)
                    .withOnStop(BatchOptions.OnStop.CANCEL_RUNNING))
            .run(
                engine,
                oneStep(
                    ctx -> {
                      if (number(ctx) == 0) {
                        await(othersWaiting);
                        throw broken(0);
                      }
                      othersWaiting.countDown();
                      new CountDownLatch(1).await(); // until cancelled
                    }));

    assertThat(result.state()).isEqualTo(BatchState.STOPPED);
    assertThat(result.counts()).isEqualTo(new BatchCounts(10, 7, 0, 0, 1, 2));
    assertThat(result.items(ItemState.CANCELLED))
        .allSatisfy(i -> assertThat(i.result().status()).isEqualTo(RunState.CANCELLED));
  }

  @Test
  void aStopLetsTheRunsInFlightFinishByDefault() {
    var stopping = new CountDownLatch(1);
    var othersWaiting = new CountDownLatch(2);
    BatchResult result =
        Batch.of(servers(10))
            .withOptions(BatchOptions.defaults().withMaxParallel(3).withContinueOnError(false))
            .withListener(
                e -> {
                  if (e instanceof BatchEvent.BatchStopping) {
                    stopping.countDown();
                  }
                })
            .run(
                engine,
                oneStep(
                    ctx -> {
                      if (number(ctx) == 0) {
                        await(othersWaiting);
                        throw broken(0);
                      }
                      othersWaiting.countDown();
                      await(stopping);
                    }));

    assertThat(result.state()).isEqualTo(BatchState.STOPPED);
    assertThat(result.counts()).isEqualTo(new BatchCounts(10, 7, 0, 2, 1, 0));
  }

  @Test
  void anItemThrowingAnErrorFailsOnlyThatItem() {
    BatchResult result =
        Batch.of(servers(10))
            .withOptions(BatchOptions.defaults().withMaxParallel(3))
            .run(
                engine,
                oneStep(
                    ctx -> {
                      executions.incrementAndGet();
                      if (number(ctx) == 4) {
                        throw new AssertionError("firmware checksum mismatch");
                      }
                      if (number(ctx) == 6) {
                        recurse(0);
                      }
                    }));

    assertThat(executions.get()).isEqualTo(10);
    assertThat(result.state()).isEqualTo(BatchState.COMPLETED_WITH_FAILURES);
    assertThat(result.counts()).isEqualTo(new BatchCounts(10, 0, 0, 8, 2, 0));
    assertThat(result.item("srv-4").orElseThrow().result().error().message())
        .contains("AssertionError")
        .contains("firmware checksum mismatch");
    assertThat(result.item("srv-6").orElseThrow().result().error().message())
        .contains("StackOverflowError");
  }

  @Test
  void anErrorThatEscapesTheEngineFailsOnlyThatItem() {
    Workflow wf =
        Workflow.builder("commission")
            .input(Input.required(BatchFixtures.SERVER))
            .step(
                Step.builder("commission")
                    .precheck(
                        ctx -> {
                          if (number(ctx) == 2) {
                            throw new AssertionError("precheck bug");
                          }
                          return Optional.empty();
                        })
                    .run(ctx -> executions.incrementAndGet())
                    .build())
            .build();

    BatchResult result = Batch.of(servers(5)).run(engine, wf);

    assertThat(executions.get()).isEqualTo(4);
    assertThat(result.counts()).isEqualTo(new BatchCounts(5, 0, 0, 4, 1, 0));
    assertThat(result.item("srv-2").orElseThrow().result().message()).contains("precheck bug");
  }

  private static int recurse(int depth) {
    return recurse(depth + 1) + 1;
  }
}
