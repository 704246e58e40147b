package dev.opsflow.workflow.batch;

import dev.opsflow.workflow.CancelledException;
import dev.opsflow.workflow.StepTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The {@link BatchRun} of a {@link BatchExecution}. */
final class BatchHandle implements BatchRun {
  private final BatchExecution execution;

  BatchHandle(BatchExecution execution) {
    this.execution = execution;
  }

  @Override
  public String batchId() {
    return execution.batchId();
  }

  @Override
  public BatchStatus status() {
    return execution.status();
  }

  @Override
  public BatchResult await(Duration timeout) {
    try {
      return execution.done().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new StepTimeoutException(
          "batch "
              + batchId()
              + " did not end within "
              + timeout
              + "; it goes on ("
              + status().counts()
              + ")");
    } catch (InterruptedException e) {
      throw interrupted();
    } catch (ExecutionException e) {
      throw failed(e);
    }
  }

  @Override
  public BatchResult await() {
    try {
      return execution.done().get();
    } catch (InterruptedException e) {
      throw interrupted();
    } catch (ExecutionException e) {
      throw failed(e);
    }
  }

  private CancelledException interrupted() {
    Thread.currentThread().interrupt();
    return new CancelledException("interrupted while awaiting batch " + batchId());
  }

  private IllegalStateException failed(ExecutionException e) {
    // The batch completes its future only with a result; this is a bug, said as such.
    return new IllegalStateException(
        "batch " + batchId() + " failed: " + e.getCause(), e.getCause());
  }

  @Override
  public boolean cancel() {
    return execution.cancel();
  }

  @Override
  public boolean isDone() {
    return execution.done().isDone();
  }

  @Override
  public CompletableFuture<BatchResult> future() {
    return execution.done().thenApply(r -> r);
  }
}
