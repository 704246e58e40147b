package dev.opsflow.workflow.internal;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One attempt of a top-level step run inline on the run's own thread: no thread hand-off in the
 * common case. At the attempt's timeout (a watchdog task, armed only when it has one) or at a
 * cancel of its run, the run's thread is interrupted. If the attempt has not returned within the
 * grace, the watchdog abandons it (its return and the abandon race for this object's lock; one of
 * them wins) and hands the rest of the run to another thread, which goes on as the run's thread
 * would have after the attempt failed. The stuck thread, when the step finally returns, finds it
 * was abandoned, reports its late end and leaves without touching the run.
 */
final class InlineAttempt implements RunScope.Stoppable {
  private final RunScope scope;
  private final EngineStepContext ctx;
  private final Thread thread = Thread.currentThread();
  private final Consumer<AttemptGuard.Reason> handOff;

  // Guarded by this.
  private boolean finished;
  private boolean abandoned;
  private AttemptGuard.Reason fired;
  private long firedAtNanos;
  private ScheduledFuture<?> timer;
  private ScheduledFuture<?> graceTimer;

  /**
   * @param handOff what takes the rest of the run to another thread once the attempt is abandoned;
   *     it gets why the attempt was stopped
   */
  InlineAttempt(RunScope scope, EngineStepContext ctx, Consumer<AttemptGuard.Reason> handOff) {
    this.scope = scope;
    this.ctx = ctx;
    this.handOff = handOff;
  }

  /**
   * Arms the timeout, {@code interruptAfterNanos} from now (negative: none). Returns false when the
   * watchdog refuses (the engine is closing): the attempt must then not run inline.
   */
  boolean arm(long interruptAfterNanos) {
    ScheduledFuture<?> t = null;
    if (interruptAfterNanos >= 0) {
      try {
        t =
            scope
                .services
                .watchdog()
                .schedule(
                    () -> fire(AttemptGuard.Reason.TIMEOUT),
                    interruptAfterNanos,
                    TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException closing) {
        return false;
      }
    }
    // Always taken: what the run's thread did before this happens-before the watchdog's abandon.
    synchronized (this) {
      timer = t;
    }
    return true;
  }

  /** Interrupts the attempt if it still runs and starts its grace; returns whether it did. */
  @Override
  public synchronized boolean fire(AttemptGuard.Reason why) {
    if (finished || fired != null) {
      return false;
    }
    fired = why;
    firedAtNanos = System.nanoTime();
    thread.interrupt();
    long grace =
        (isTimeout(why) ? scope.services.attempts().timeoutGrace() : scope.cancelGrace()).toNanos();
    try {
      graceTimer = scope.services.watchdog().schedule(this::graceOver, grace, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closing) {
      // The engine is closing: its close gives up the runs still busy after its own grace.
    }
    return true;
  }

  private boolean isTimeout(AttemptGuard.Reason why) {
    return why == AttemptGuard.Reason.TIMEOUT || scope.runTimedOut;
  }

  /** On the watchdog, the grace after a stop: abandons the attempt if it has not returned. */
  private void graceOver() {
    AttemptGuard.Reason why;
    long firedAt;
    synchronized (this) {
      if (finished || abandoned) {
        return;
      }
      abandoned = true;
      why = fired;
      firedAt = firedAtNanos;
    }
    scope.unregister(this);
    Abandonment.abandoned(scope, ctx, isTimeout(why), firedAt);
    handOff.accept(why);
  }

  /**
   * Ends the attempt, on the run's thread, once the step returned. Returns false when it was
   * abandoned meanwhile: the run is another thread's now, and this one must leave it alone. Clears
   * the interrupt this attempt delivered.
   */
  boolean finish() {
    synchronized (this) {
      if (abandoned) {
        return false;
      }
      finished = true;
      if (timer != null) {
        timer.cancel(false);
      }
      if (graceTimer != null) {
        graceTimer.cancel(false);
      }
      if (fired == null) {
        return true;
      }
    }
    // Delivered under the lock, before finished was set: clear it, so the thread is clean.
    Thread.interrupted();
    return true;
  }

  /** Why the attempt was stopped; null if it never was. */
  synchronized AttemptGuard.Reason firedReason() {
    return fired;
  }

  /** When it was stopped, by {@link System#nanoTime()}. */
  synchronized long firedAtNanos() {
    return firedAtNanos;
  }
}
