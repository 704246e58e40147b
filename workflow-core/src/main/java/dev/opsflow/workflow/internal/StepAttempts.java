package dev.opsflow.workflow.internal;

import dev.failsafe.Execution;
import dev.failsafe.RetryPolicy;
import dev.opsflow.workflow.ApiException;
import dev.opsflow.workflow.CancelledException;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Retries;
import dev.opsflow.workflow.StepOptions;
import dev.opsflow.workflow.StepTimeoutException;
import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.http.RequestDecorator;
import dev.opsflow.workflow.http.RequestDecorator.StepAttempt;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs one unit of work (a step, a compensation, an item of a parallel group) with its retry policy
 * and its pre-emptive timeout. The retry decisions and delays come from a Failsafe standalone
 * {@link Execution}; the waits go through the engine's sleeper, so they are cancellable and skip
 * time under a manual clock.
 */
final class StepAttempts {
  /** The work of one attempt. */
  interface Work {
    Object run(EngineStepContext ctx) throws Exception;
  }

  /** How the attempts ended. */
  record Outcome(Object value, Throwable error, int attempts, Duration elapsed, Instant end) {
    boolean ok() {
      return error == null;
    }
  }

  private final RunExecution execution;
  private final RunScope scope;
  private final List<RequestDecorator> decorators;

  StepAttempts(RunExecution execution) {
    this.execution = execution;
    this.scope = execution.scope;
    this.decorators = RunAttributes.decorators(scope.services.listeners());
  }

  Outcome run(
      String name,
      StepOptions options,
      Object item,
      boolean compensating,
      boolean events,
      Work work) {
    return run(name, options, item, compensating, events, scope.services.clock().instant(), work);
  }

  /** Runs the attempts; {@code start} is the time the caller read from the clock just before. */
  Outcome run(
      String name,
      StepOptions options,
      Object item,
      boolean compensating,
      boolean events,
      Instant start,
      Work work) {
    RetryPolicy<Object> policy = options.retry();
    // Created at the first failure: a step that succeeds at once costs no Failsafe bookkeeping.
    Execution<Object> failsafe = null;
    int attempt = 0;
    while (true) {
      attempt++;
      final int n = attempt;
      if (events) {
        var startedEvent =
            (java.util.function.BiFunction<Long, Instant, WorkflowEvent>)
                (seq, ts) -> new WorkflowEvent.StepStarted(scope.runId, seq, ts, name, n);
        if (n == 1) {
          scope.emitAt(start, startedEvent);
        } else {
          scope.emit(startedEvent);
        }
      }
      Throwable error;
      try {
        Object value = once(name, options.timeout(), item, compensating, attempt, work);
        Instant end = scope.services.clock().instant();
        return new Outcome(value, null, attempt, Duration.between(start, end), end);
      } catch (Throwable t) {
        error = t;
      }
      if ((scope.cancelled && !compensating)
          || RunExecution.isKind(error, ErrorKind.CANCELLED)
          || policy == null) {
        return failed(error, attempt, start);
      }
      if (failsafe == null) {
        failsafe = Execution.of(policy);
      }
      final Duration wait = retryDelay(name, n, error, failsafe, events);
      if (wait == null) {
        return failed(error, attempt, start);
      }
      var guard = new AttemptGuard(Thread.currentThread());
      if (!compensating) {
        scope.register(guard);
      }
      try {
        new EngineStepContext(execution, name, attempt, runDeadline(), null, item, compensating)
            .sleep(wait);
      } catch (RuntimeException stopped) {
        return failed(stopped, attempt, start);
      } finally {
        end(guard, null, compensating);
      }
    }
  }

  /**
   * Records attempt {@code n}'s failure in {@code failsafe} (null: no retry policy); returns the
   * delay before the next attempt, after the retry event and log line, or null when the policy
   * gives up. A server's Retry-After stretches the delay.
   */
  Duration retryDelay(
      String name, int n, Throwable error, Execution<Object> failsafe, boolean events) {
    if (failsafe == null) {
      return null;
    }
    failsafe.recordException(error);
    if (failsafe.isComplete()) {
      return null;
    }
    Duration delay = failsafe.getDelay();
    if (error instanceof ApiException api
        && api.retryAfter().isPresent()
        && api.retryAfter().get().compareTo(delay) > 0) {
      delay = api.retryAfter().get();
    }
    final Duration wait = delay;
    var classified = Retries.classify(error);
    if (events) {
      scope.emit(
          (seq, ts) ->
              new WorkflowEvent.StepRetrying(
                  scope.runId,
                  seq,
                  ts,
                  name,
                  n,
                  wait.toMillis(),
                  classified.kind(),
                  Retries.messageOf(error)));
    }
    execution.log.info(
        "step '{}' attempt {} failed ({}); retrying in {} ms",
        name,
        n,
        Retries.messageOf(error),
        wait.toMillis());
    return wait;
  }

  private Outcome failed(Throwable error, int attempts, Instant start) {
    Instant end = scope.services.clock().instant();
    return new Outcome(null, error, attempts, Duration.between(start, end), end);
  }

  private Instant runDeadline() {
    return execution.runDeadline;
  }

  private Object once(
      String name, Duration timeout, Object item, boolean compensating, int attempt, Work work)
      throws Exception {
    Instant stepDeadline = timeout == null ? null : scope.services.clock().instant().plus(timeout);
    return once(name, timeout, stepDeadline, timeout, item, compensating, attempt, work);
  }

  /**
   * One poll of a polling step that waits holding no thread: the attempt's timeout counts from the
   * attempt's first poll ({@code stepDeadline}), not from this one.
   */
  Object poll(
      String name, Duration timeout, Instant stepDeadline, Object item, int attempt, Work work)
      throws Exception {
    Duration left =
        stepDeadline == null
            ? null
            : Duration.between(scope.services.clock().instant(), stepDeadline);
    if (left != null && left.isNegative()) {
      left = Duration.ZERO;
    }
    return once(name, timeout, stepDeadline, left, item, false, attempt, work);
  }

  /**
   * One attempt: {@code timeout} is the step's (for messages), {@code stepDeadline} when it ends,
   * {@code interruptAfter} when the watchdog interrupts this attempt (null: no step timeout).
   */
  private Object once(
      String name,
      Duration timeout,
      Instant stepDeadline,
      Duration interruptAfter,
      Object item,
      boolean compensating,
      int attempt,
      Work work)
      throws Exception {
    Instant deadline = runDeadline();
    if (stepDeadline != null) {
      deadline = deadline == null || stepDeadline.isBefore(deadline) ? stepDeadline : deadline;
    }
    var ctx =
        new EngineStepContext(execution, name, attempt, deadline, timeout, item, compensating);
    if (!compensating) {
      ctx.checkCancelled();
    }
    var guard = new AttemptGuard(Thread.currentThread());
    ScheduledFuture<?> watchdog = null;
    if (!compensating) {
      scope.register(guard);
    }
    if (interruptAfter != null) {
      watchdog =
          scope
              .services
              .watchdog()
              .schedule(
                  () -> guard.fire(AttemptGuard.Reason.TIMEOUT),
                  interruptAfter.toNanos(),
                  TimeUnit.NANOSECONDS);
    }
    Object value;
    try {
      value = decorators.isEmpty() ? work.run(ctx) : runDecorated(name, attempt, work, ctx);
    } catch (Throwable t) {
      AttemptGuard.Reason why = end(guard, watchdog, compensating);
      if (why == AttemptGuard.Reason.TIMEOUT && !(t instanceof StepTimeoutException)) {
        var e =
            new StepTimeoutException(
                "step '" + name + "' went past its timeout of " + timeout + " and was interrupted");
        e.addSuppressed(t);
        throw e;
      }
      if (why == AttemptGuard.Reason.CANCEL && !(t instanceof CancelledException)) {
        var e =
            scope.runTimedOut
                ? new StepTimeoutException(
                    "run "
                        + scope.runId
                        + " went past its timeout of "
                        + scope.options.timeout()
                        + " during step '"
                        + name
                        + "'")
                : new CancelledException(
                    "run " + scope.runId + " was cancelled during step '" + name + "'");
        e.addSuppressed(t);
        throw e;
      }
      throw t;
    }
    // Finished: whatever the watchdog or a cancel did meanwhile, the step's work stands.
    end(guard, watchdog, compensating);
    return value;
  }

  /** Runs the attempt with this thread marked as running it, for the HTTP requests it sends. */
  private Object runDecorated(String name, int attempt, Work work, EngineStepContext ctx)
      throws Exception {
    var current = new StepAttempt(scope.runId, scope.workflow.name(), name, attempt);
    CurrentAttempt outer = CurrentAttempt.enter(current, decorators);
    try {
      return work.run(ctx);
    } finally {
      CurrentAttempt.exit(outer);
    }
  }

  private AttemptGuard.Reason end(
      AttemptGuard guard, ScheduledFuture<?> watchdog, boolean compensating) {
    if (watchdog != null) {
      watchdog.cancel(false);
    }
    AttemptGuard.Reason why = guard.finish();
    if (!compensating) {
      scope.unregister(guard);
    }
    return why;
  }
}
