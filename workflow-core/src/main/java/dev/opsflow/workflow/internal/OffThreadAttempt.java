package dev.opsflow.workflow.internal;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.MDC;

/**
 * One attempt of a step's work, run on a thread of {@link AttemptThreads} while the run's thread
 * waits for it. At the attempt's timeout, or at a cancel of its run, the attempt's thread is
 * interrupted; if it has not returned within the grace, the run stops waiting: the attempt is
 * abandoned. Its thread is left to finish, its context refuses every later write, and whatever it
 * returns or throws is ignored; the engine reports it when it is abandoned and when it ends.
 */
final class OffThreadAttempt implements Runnable, RunScope.Stoppable {
  /** The context of the attempt running on this thread, for the steps nested in it. */
  private static final ThreadLocal<EngineStepContext> CURRENT = new ThreadLocal<>();

  /** How the wait for an attempt ended. */
  enum End {
    RETURNED,
    ABANDONED
  }

  private final RunScope scope;
  private final AttemptThreads threads;
  private final EngineStepContext ctx;
  private final StepAttempts.Work work;
  private final Map<String, String> mdc;

  // Guarded by this.
  private Thread thread;
  private boolean finished;
  private boolean abandoned;
  private AttemptGuard.Reason fired;
  private long firedAtNanos;

  private Object value;
  private Throwable error;

  OffThreadAttempt(RunScope scope, EngineStepContext ctx, StepAttempts.Work work) {
    this.scope = scope;
    this.threads = scope.services.attempts();
    this.ctx = ctx;
    this.work = work;
    this.mdc = MDC.getCopyOfContextMap();
  }

  /** The context of the attempt whose work runs on the calling thread, or null. */
  static EngineStepContext current() {
    return CURRENT.get();
  }

  /** Marks {@code ctx} as the attempt running on this thread (an attempt run inline). */
  static void enter(EngineStepContext ctx) {
    CURRENT.set(ctx);
  }

  /** Ends what {@link #enter} began. */
  static void leave() {
    CURRENT.remove();
  }

  /** Runs {@code task} as if inside the attempt of {@code parent} (a parallel group's items). */
  static void runWithin(EngineStepContext parent, Runnable task) {
    EngineStepContext before = CURRENT.get();
    CURRENT.set(parent);
    try {
      task.run();
    } finally {
      if (before == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(before);
      }
    }
  }

  /** The attempt's work, on its own thread. */
  @Override
  public void run() {
    synchronized (this) {
      thread = Thread.currentThread();
      if (fired != null) {
        thread.interrupt();
      }
    }
    if (mdc != null) {
      MDC.setContextMap(mdc);
    }
    CURRENT.set(ctx);
    Object v = null;
    Throwable e = null;
    try {
      v = work.run(ctx);
    } catch (Throwable t) {
      e = t;
    } finally {
      CURRENT.remove();
      MDC.clear();
    }
    boolean late;
    synchronized (this) {
      value = v;
      error = e;
      finished = true;
      thread = null;
      late = abandoned;
      notifyAll();
    }
    // No interrupt is delivered once finished: clear one that came before, so the thread is clean.
    Thread.interrupted();
    if (late) {
      endedLate(e);
    }
  }

  /** Interrupts the attempt if it still runs, and tells the waiting run; returns whether it did. */
  @Override
  public synchronized boolean fire(AttemptGuard.Reason why) {
    if (finished || fired != null) {
      return false;
    }
    fired = why;
    firedAtNanos = System.nanoTime();
    if (thread != null) {
      thread.interrupt();
    }
    notifyAll();
    return true;
  }

  /**
   * Waits until the attempt returns, or is abandoned: at {@code interruptAfterNanos} (negative: no
   * timeout) it is interrupted as timed out, at a cancel as cancelled, and it is abandoned when it
   * has not returned within the grace after either. An interrupt of the waiting thread cancels the
   * run.
   */
  End await(long interruptAfterNanos) {
    long start = System.nanoTime();
    boolean timed = interruptAfterNanos >= 0;
    long timeoutAt = start + Math.max(0, interruptAfterNanos);
    synchronized (this) {
      while (!finished) {
        long now = System.nanoTime();
        long until;
        if (fired == null) {
          if (!timed) {
            waitNanos(Long.MAX_VALUE);
            continue;
          }
          if (now - timeoutAt >= 0) {
            fire(AttemptGuard.Reason.TIMEOUT);
            continue;
          }
          until = timeoutAt;
        } else {
          boolean timeout = fired == AttemptGuard.Reason.TIMEOUT || scope.runTimedOut;
          long grace = (timeout ? threads.timeoutGrace() : scope.cancelGrace()).toNanos();
          until = firedAtNanos + grace;
          if (now - until >= 0) {
            abandoned = true;
            reportAbandoned(timeout);
            return End.ABANDONED;
          }
        }
        waitNanos(until - now);
      }
      return End.RETURNED;
    }
  }

  private void waitNanos(long nanos) {
    try {
      TimeUnit.NANOSECONDS.timedWait(this, nanos);
    } catch (InterruptedException e) {
      // The thread waiting in engine.run was interrupted: that cancels the run, as it did when
      // the step ran on that thread. The interrupt is consumed: the run goes on to its end.
      scope.cancel(false);
    }
  }

  /** Why the attempt was stopped, once {@link #await} returned; null if it never was. */
  synchronized AttemptGuard.Reason firedReason() {
    return fired;
  }

  Object value() {
    return value;
  }

  Throwable error() {
    return error;
  }

  private void reportAbandoned(boolean timeout) {
    Abandonment.abandoned(scope, ctx, timeout, firedAtNanos);
  }

  private void endedLate(Throwable e) {
    long fired;
    synchronized (this) {
      fired = firedAtNanos;
    }
    Abandonment.endedLate(scope, ctx, fired, e);
  }
}
