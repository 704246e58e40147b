package dev.opsflow.workflow.store;

import dev.opsflow.workflow.spi.StoreException;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The gate of a closing {@link JdbcExecutionStore}: calls hold it shared, {@link #close} takes it
 * exclusively, so it waits for the calls under way (a commit in flight is acknowledged first) and
 * refuses every later call. A call made from inside another call of the same thread (the default
 * methods of the store's interface call others) finishes even when close began in between.
 * Thread-safe.
 */
final class JdbcCloseGate {
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Object closing = new Object();
  private volatile boolean closed;

  /** Runs {@code work} as a call of the store: refused once closed; {@link #close} waits for it. */
  <T> T call(Supplier<T> work) {
    // Checked first too: a call made while close waits for the calls under way fails at once
    // rather than queue behind the close.
    if (closed && lock.getReadHoldCount() == 0) {
      throw closedException();
    }
    lock.readLock().lock();
    try {
      if (closed && lock.getReadHoldCount() == 1) {
        throw closedException();
      }
      return work.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Runs {@code work} as a call of the store that returns nothing. */
  void run(Runnable work) {
    call(
        () -> {
          work.run();
          return null;
        });
  }

  /**
   * Closes the gate, once: waits for the calls under way, then runs {@code finish} with no call
   * under way and none to come. A second call does nothing.
   *
   * @throws IllegalStateException if called from inside a call (it would wait for itself)
   */
  void close(Runnable finish) {
    synchronized (closing) {
      if (closed) {
        return;
      }
      if (lock.getReadHoldCount() > 0) {
        throw new IllegalStateException(
            "JdbcExecutionStore.close() called from inside a call of the same store");
      }
      closed = true;
      lock.writeLock().lock();
      try {
        finish.run();
      } finally {
        lock.writeLock().unlock();
      }
    }
  }

  /** {@return whether close began} */
  boolean isClosed() {
    return closed;
  }

  private static StoreException closedException() {
    return new StoreException(
        "the JDBC execution store is closed; fix: build a new store on the DataSource"
            + " (JdbcExecutionStore.create) and use that one",
        "build a new store on the DataSource (JdbcExecutionStore.create) and use that one",
        null);
  }
}
