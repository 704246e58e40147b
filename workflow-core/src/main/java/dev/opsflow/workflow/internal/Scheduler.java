package dev.opsflow.workflow.internal;

import java.util.concurrent.Executor;

/**
 * The engine's threads as batches and parallel groups use them: room for a number of concurrent
 * tasks is asked for before they start and given back after. With virtual threads (JDK 21+) or a
 * host's executor, room is whatever the executor gives and asking is free. With the JDK 17 pool
 * ({@link DefaultExecutors}), a reservation raises the pool's thread ceiling while it is held, so
 * {@code n} waiting runs hold {@code n} threads instead of running on their caller's. Thread-safe.
 * Not part of the API.
 */
public final class Scheduler {
  private final Executor executor;

  /** Room for concurrent tasks, given back by {@link #close()} (idempotent). */
  public interface Reservation extends AutoCloseable {
    @Override
    void close();
  }

  private Scheduler(Executor executor) {
    this.executor = executor;
  }

  /** The scheduler over {@code executor}. */
  public static Scheduler of(Executor executor) {
    return new Scheduler(executor);
  }

  /** Asks for room for {@code tasks} more concurrent tasks. */
  public Reservation reserve(int tasks) {
    if (!(executor instanceof DefaultExecutors.Pool pool) || tasks <= 0) {
      return () -> {};
    }
    pool.adjust(tasks);
    var released = new java.util.concurrent.atomic.AtomicBoolean();
    return () -> {
      if (released.compareAndSet(false, true)) {
        pool.adjust(-tasks);
      }
    };
  }

  /** Runs {@code task} on the engine's threads, or on the caller's if the executor refuses it. */
  public void execute(Runnable task) {
    try {
      executor.execute(task);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      task.run();
    }
  }

  /** What the threads are, for logs: virtual threads, the JDK 17 pool, or the host's executor. */
  public String describe() {
    if (executor instanceof DefaultExecutors.Pool pool) {
      return "platform thread pool ("
          + pool.getPoolSize()
          + " threads now, at most "
          + pool.getMaximumPoolSize()
          + ")";
    }
    if (executor instanceof DefaultExecutors.VirtualThreads) {
      return "virtual threads";
    }
    return "host executor " + executor.getClass().getName();
  }
}
