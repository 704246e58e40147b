package dev.opsflow.workflow.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Guards one attempt of a step on one thread: a timeout watchdog or a cancellation may interrupt
 * the thread only while the attempt runs. Once {@link #finish()} returns, no interrupt from this
 * guard can reach the thread, so a step that finished is never disturbed afterwards.
 */
final class AttemptGuard implements RunScope.Stoppable {
  enum Reason {
    TIMEOUT,
    CANCEL
  }

  private static final int RUNNING = 0;
  private static final int FINISHED = 1;
  private static final int FIRED = 2;

  private final Thread thread;

  /** The guard this one covers on the run's own thread (a step nested in a sub-workflow). */
  AttemptGuard previous;

  private final AtomicInteger state = new AtomicInteger(RUNNING);
  private volatile Reason reason;
  private volatile boolean delivered;

  Thread thread() {
    return thread;
  }

  AttemptGuard(Thread thread) {
    this.thread = thread;
  }

  /** Interrupts the attempt if it still runs; returns whether it did. */
  @Override
  public boolean fire(Reason why) {
    if (state.compareAndSet(RUNNING, FIRED)) {
      reason = why;
      thread.interrupt();
      delivered = true;
      return true;
    }
    return false;
  }

  /**
   * Ends the attempt, on its own thread. Returns why it was interrupted, or null, and clears the
   * interrupt this guard delivered.
   */
  Reason finish() {
    if (state.compareAndSet(RUNNING, FINISHED)) {
      return null;
    }
    while (!delivered) {
      Thread.onSpinWait();
    }
    Thread.interrupted();
    return reason;
  }
}
