package dev.opsflow.workflow.internal;

import dev.failsafe.Execution;
import dev.failsafe.RetryPolicy;
import dev.opsflow.workflow.ApiException;
import dev.opsflow.workflow.CancelledException;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Retries;
import dev.opsflow.workflow.StepOptions;
import dev.opsflow.workflow.StepTimeoutException;
import dev.opsflow.workflow.WorkflowException;
import dev.opsflow.workflow.event.WorkflowEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

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
  record Outcome(
      Object value,
      Throwable error,
      int attempts,
      Duration elapsed,
      Instant end,
      boolean abandoned) {
    boolean ok() {
      return error == null;
    }
  }

  private final RunExecution execution;
  private final RunScope scope;

  StepAttempts(RunExecution execution) {
    this.execution = execution;
    this.scope = execution.scope;
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
    return attempts(new Loop(name, options, item, compensating, events, start, work, null), null);
  }

  /**
   * Runs the attempts of a top-level step, each inline on the calling thread when it is one of the
   * engine's own (else on a thread of its own). When an inline attempt is abandoned, {@code
   * handOff} gets the loop and the attempt's error, on the engine's watchdog, to go on with {@link
   * #resume} on another thread; this thread then throws {@link HandedOff} once the step returns.
   */
  Outcome runTopLevel(
      String name,
      StepOptions options,
      Instant start,
      Work work,
      java.util.function.BiConsumer<Loop, Throwable> handOff) {
    var loop = new Loop(name, options, null, false, true, start, work, null);
    loop.handOff = error -> handOff.accept(loop, error);
    return attempts(loop, null);
  }

  /** Goes on with {@code loop} after its last attempt failed with {@code error}. */
  Outcome resume(Loop loop, Throwable error) {
    return attempts(loop, error);
  }

  /**
   * Where a unit's attempts stand, so that another thread can go on with them: what the retry loop
   * carries from one attempt to the next.
   */
  static final class Loop {
    final String name;
    final StepOptions options;
    final Object item;
    final boolean compensating;
    final boolean events;
    final Instant start;
    final Work work;

    /** Takes the rest of the run elsewhere when an inline attempt is abandoned; null: none. */
    java.util.function.Consumer<Throwable> handOff;

    int attempt;
    boolean abandoned;

    /** Created at the first failure: a step that succeeds at once costs no Failsafe bookkeeping. */
    Execution<Object> failsafe;

    private Loop(
        String name,
        StepOptions options,
        Object item,
        boolean compensating,
        boolean events,
        Instant start,
        Work work,
        java.util.function.Consumer<Throwable> handOff) {
      this.name = name;
      this.options = options;
      this.item = item;
      this.compensating = compensating;
      this.events = events;
      this.start = start;
      this.work = work;
      this.handOff = handOff;
    }
  }

  /**
   * Unwinds the stack of a thread whose inline attempt was abandoned, once its step returned: the
   * run goes on on another thread, and this one must not touch it. Carries nothing.
   */
  static final class HandedOff extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final HandedOff INSTANCE = new HandedOff();

    private HandedOff() {
      super(null, null, false, false);
    }
  }

  /** The retry loop; {@code pending} is the error of an attempt that already ended, or null. */
  private Outcome attempts(Loop l, Throwable pending) {
    RetryPolicy<Object> policy = l.options.retry();
    String name = l.name;
    while (true) {
      Throwable error = pending;
      pending = null;
      if (error == null) {
        l.attempt++;
        final int n = l.attempt;
        if (l.events) {
          var startedEvent =
              (java.util.function.BiFunction<Long, Instant, WorkflowEvent>)
                  (seq, ts) -> new WorkflowEvent.StepStarted(scope.runId, seq, ts, name, n);
          if (n == 1) {
            scope.emitAt(l.start, startedEvent);
          } else {
            scope.emit(startedEvent);
          }
        }
        try {
          Object value = once(l);
          Instant end = scope.services.clock().instant();
          return new Outcome(
              value, null, l.attempt, Duration.between(l.start, end), end, l.abandoned);
        } catch (HandedOff gone) {
          throw gone;
        } catch (Throwable t) {
          error = t;
        }
      }
      l.abandoned |= isAbandoned(error);
      if ((scope.cancelled && !l.compensating)
          || RunExecution.isKind(error, ErrorKind.CANCELLED)
          || policy == null) {
        return failed(error, l.attempt, l.start, l.abandoned);
      }
      if (l.failsafe == null) {
        l.failsafe = Execution.of(policy);
      }
      final Duration wait = retryDelay(name, l.attempt, error, l.failsafe, l.events);
      if (wait == null) {
        return failed(error, l.attempt, l.start, l.abandoned);
      }
      var guard = new AttemptGuard(Thread.currentThread());
      if (!l.compensating) {
        scope.register(guard);
      }
      try {
        new EngineStepContext(
                execution, name, l.attempt, runDeadline(), null, l.item, l.compensating)
            .sleep(wait);
      } catch (RuntimeException stopped) {
        return failed(stopped, l.attempt, l.start, l.abandoned);
      } finally {
        end(guard, l.compensating);
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
    if (error instanceof dev.opsflow.workflow.CircuitOpenException open
        && open.retryAfter().compareTo(delay) > 0) {
      delay = open.retryAfter();
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

  private Outcome failed(Throwable error, int attempts, Instant start, boolean abandoned) {
    Instant end = scope.services.clock().instant();
    return new Outcome(null, error, attempts, Duration.between(start, end), end, abandoned);
  }

  private Instant runDeadline() {
    return execution.runDeadline;
  }

  private Object once(Loop l) throws Exception {
    Duration timeout = l.options.timeout();
    Instant stepDeadline = timeout == null ? null : scope.services.clock().instant().plus(timeout);
    return once(
        l.name,
        timeout,
        stepDeadline,
        timeout,
        l.item,
        l.compensating,
        l.attempt,
        l.work,
        l.handOff);
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
    return once(name, timeout, stepDeadline, left, item, false, attempt, work, null);
  }

  /**
   * One attempt: {@code timeout} is the step's (for messages), {@code stepDeadline} when it ends,
   * {@code interruptAfter} when the watchdog interrupts this attempt (null: no step timeout); with
   * {@code handOff}, the attempt runs inline when this thread is one of the engine's own.
   */
  private Object once(
      String name,
      Duration timeout,
      Instant stepDeadline,
      Duration interruptAfter,
      Object item,
      boolean compensating,
      int attempt,
      Work work,
      java.util.function.Consumer<Throwable> handOff)
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
    AttemptThreads threads = scope.services.attempts();
    if (threads.abandoned() >= threads.maxAbandoned()) {
      throw new WorkflowException(
          ErrorKind.INTERNAL,
          "step '"
              + name
              + "' was not started: "
              + threads.abandoned()
              + " abandoned attempts still run in this engine, its limit"
              + " (WorkflowEngine.Builder.maxAbandonedAttempts); steps that ignore interrupts"
              + " past their timeout or a cancel hold those threads");
    }
    if (handOff != null
        && DefaultExecutors.onEngineThread()
        && OffThreadAttempt.current() == null) {
      var inline =
          new InlineAttempt(
              scope, ctx, why -> handOff.accept(stoppedError(name, timeout, why, null, true)));
      scope.register(inline);
      if (inline.arm(interruptAfter == null ? -1 : interruptAfter.toNanos())) {
        return inline(inline, ctx, work, name, timeout);
      }
      scope.unregister(inline);
    }
    var attemptRun = new OffThreadAttempt(scope, ctx, work);
    if (!compensating) {
      scope.register(attemptRun);
    }
    OffThreadAttempt.End end;
    try {
      threads.start(attemptRun);
      end = attemptRun.await(interruptAfter == null ? -1 : interruptAfter.toNanos());
    } finally {
      if (!compensating) {
        scope.unregister(attemptRun);
      }
    }
    AttemptGuard.Reason why = attemptRun.firedReason();
    if (end == OffThreadAttempt.End.ABANDONED) {
      throw stoppedError(name, timeout, why, null, true);
    }
    return ended(name, timeout, why, attemptRun.value(), attemptRun.error());
  }

  /**
   * Runs {@code work} on this thread. When the attempt was abandoned before it returned, reports
   * its late end and throws {@link HandedOff}: the run went on elsewhere.
   */
  private Object inline(
      InlineAttempt attempt, EngineStepContext ctx, Work work, String name, Duration timeout)
      throws Exception {
    Object value = null;
    Throwable error = null;
    OffThreadAttempt.enter(ctx);
    try {
      value = work.run(ctx);
    } catch (Throwable t) {
      error = t;
    } finally {
      OffThreadAttempt.leave();
    }
    if (!attempt.finish()) {
      Abandonment.endedLate(scope, ctx, attempt.firedAtNanos(), error);
      throw HandedOff.INSTANCE;
    }
    scope.unregister(attempt);
    return ended(name, timeout, attempt.firedReason(), value, error);
  }

  /** What an attempt that returned gives: its value, or its error as the engine reports it. */
  private Object ended(
      String name, Duration timeout, AttemptGuard.Reason why, Object value, Throwable t)
      throws Exception {
    if (t == null) {
      // Finished: whatever the timeout or a cancel did meanwhile, the step's work stands.
      return value;
    }
    if (why == AttemptGuard.Reason.TIMEOUT && !(t instanceof StepTimeoutException)) {
      throw stoppedError(name, timeout, why, t, false);
    }
    if (why == AttemptGuard.Reason.CANCEL && !(t instanceof CancelledException)) {
      throw stoppedError(name, timeout, why, t, false);
    }
    if (t instanceof Exception e) {
      throw e;
    }
    throw (Error) t;
  }

  /**
   * The error of an attempt stopped for {@code why}: its step's timeout, or a cancel (or its run's
   * timeout). {@code cause} is what the attempt threw, if it returned; an abandoned attempt's error
   * says so in its details ({@code abandonedAttempt}), so the run compensates the step.
   */
  private WorkflowException stoppedError(
      String name, Duration timeout, AttemptGuard.Reason why, Throwable cause, boolean abandoned) {
    String tail = abandoned ? "; it did not stop, and was abandoned (its thread still runs)" : "";
    Map<String, Object> details = abandoned ? Map.of(ABANDONED, true) : Map.of();
    WorkflowException e;
    if (why == AttemptGuard.Reason.TIMEOUT) {
      e =
          new StepTimeoutException(
              "step '"
                  + name
                  + "' went past its timeout of "
                  + timeout
                  + " and was interrupted"
                  + tail,
              details);
    } else if (scope.runTimedOut) {
      e =
          new StepTimeoutException(
              "run "
                  + scope.runId
                  + " went past its timeout of "
                  + scope.options.timeout()
                  + " during step '"
                  + name
                  + "'"
                  + tail,
              details);
    } else {
      e =
          new CancelledException(
              "run " + scope.runId + " was cancelled during step '" + name + "'" + tail, details);
    }
    if (cause != null) {
      e.addSuppressed(cause);
    }
    return e;
  }

  /** The detail that marks the error of an abandoned attempt. */
  static final String ABANDONED = "abandonedAttempt";

  /** Whether {@code error} ended an attempt that was abandoned (it may have done its work). */
  static boolean isAbandoned(Throwable error) {
    return error instanceof WorkflowException w && Boolean.TRUE.equals(w.details().get(ABANDONED));
  }

  private AttemptGuard.Reason end(AttemptGuard guard, boolean compensating) {
    AttemptGuard.Reason why = guard.finish();
    if (!compensating) {
      scope.unregister(guard);
    }
    return why;
  }
}
