package dev.opsflow.workflow.internal;

import dev.opsflow.workflow.CancelledException;
import dev.opsflow.workflow.RunStatus;
import dev.opsflow.workflow.StepTimeoutException;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.WorkflowRun;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** The engine's {@link WorkflowRun}. */
public final class RunHandle implements WorkflowRun {
  private final String runId;
  private final CompletableFuture<WorkflowResult> future = new CompletableFuture<>();
  private final Supplier<RunStatus> liveStatus;
  private final Runnable canceller;

  /** Set when the run was launched for a caller that waits for it in {@code engine.run}. */
  volatile boolean launchedForCaller;

  RunHandle(String runId, Supplier<RunStatus> liveStatus, Runnable canceller) {
    this.runId = runId;
    this.liveStatus = liveStatus;
    this.canceller = canceller;
  }

  /** A handle on a run that already ended. */
  static RunHandle finished(WorkflowResult result, Supplier<RunStatus> status) {
    var h = new RunHandle(result.runId(), status, () -> {});
    h.future.complete(result);
    return h;
  }

  void complete(WorkflowResult result) {
    future.complete(result);
  }

  /** Waits until the run ended (or failed), at most {@code max}; never throws the run's error. */
  void awaitDone(Duration max) {
    try {
      future.get(max.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Done with an error, or still not done: the caller looks at isDone().
    }
  }

  /**
   * Waits for the result; an interrupt of the waiting thread cancels the run (as it did when the
   * run executed on that thread) and the wait goes on to its end. The interrupt is consumed.
   */
  WorkflowResult awaitCancellingOnInterrupt() {
    if (!launchedForCaller) {
      return await(); // another caller's run (an idempotency key): theirs to cancel
    }
    while (true) {
      try {
        return future.get();
      } catch (InterruptedException e) {
        canceller.run();
      } catch (ExecutionException e) {
        throw unwrap(e);
      }
    }
  }

  void fail(Throwable error) {
    future.completeExceptionally(error);
  }

  @Override
  public String runId() {
    return runId;
  }

  @Override
  public RunStatus status() {
    return liveStatus.get();
  }

  @Override
  public WorkflowResult await(Duration timeout) {
    try {
      return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new StepTimeoutException(
          "run "
              + runId
              + " did not end within "
              + timeout
              + "; it goes on (state "
              + status().state()
              + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancelledException("interrupted while awaiting run " + runId);
    } catch (ExecutionException e) {
      throw unwrap(e);
    }
  }

  @Override
  public WorkflowResult await() {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancelledException("interrupted while awaiting run " + runId);
    } catch (ExecutionException e) {
      throw unwrap(e);
    }
  }

  private static RuntimeException unwrap(ExecutionException e) {
    return e.getCause() instanceof RuntimeException r ? r : new RuntimeException(e.getCause());
  }

  @Override
  public boolean cancel() {
    if (future.isDone()) {
      return false;
    }
    canceller.run();
    return true;
  }

  @Override
  public Optional<WorkflowResult> result() {
    return future.isDone() && !future.isCompletedExceptionally()
        ? Optional.of(future.join())
        : Optional.empty();
  }

  @Override
  public boolean isDone() {
    return future.isDone();
  }

  @Override
  public CompletableFuture<WorkflowResult> future() {
    return future.thenApply(r -> r);
  }
}
