package dev.opsflow.workflow.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The engine's default executor: virtual threads when the running JVM has them (JDK 21+, found at
 * run time, since the library targets release 17), else a bounded pool of daemon threads that runs
 * a task on the caller's thread when full, so nested fan-outs can never deadlock.
 *
 * <p>The JDK 17 pool holds {@link #POOL_MAX} threads, plus whatever batches and parallel groups
 * reserve through {@link Scheduler#reserve} while they run (up to {@link #POOL_CEILING}). Its
 * threads are made on demand, with a {@link #STACK_BYTES} stack, and end after a minute idle.
 */
public final class DefaultExecutors {
  /** Threads of the JDK 17 pool when nothing is reserved. */
  public static final int POOL_MAX = 256;

  /** The most threads the JDK 17 pool ever holds, reservations included. */
  public static final int POOL_CEILING = 16_384;

  /**
   * Stack size of the JDK 17 pool's threads. A thread's resident memory is the stack it touches
   * (about 45 KB for a waiting run, measured, whatever the size): the size only bounds the address
   * space reserved per thread, which 10,000 threads at the JVM's default 1 MB would make 10 GB.
   */
  public static final long STACK_BYTES = 512 * 1024;

  private DefaultExecutors() {}

  /** Whether this JVM offers virtual threads. */
  public static boolean virtualThreadsAvailable() {
    try {
      java.util.concurrent.Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  /** A new executor: virtual threads, or the bounded pool. */
  public static ExecutorService create() {
    ExecutorService virtual = virtualFactory();
    if (virtual != null) {
      return virtual;
    }
    return new Pool();
  }

  private static ExecutorService virtualFactory() {
    try {
      var handle =
          MethodHandles.publicLookup()
              .findStatic(
                  java.util.concurrent.Executors.class,
                  "newVirtualThreadPerTaskExecutor",
                  MethodType.methodType(ExecutorService.class));
      return new VirtualThreads((ExecutorService) handle.invoke());
    } catch (Throwable e) {
      return null;
    }
  }

  /**
   * Makes the engine's platform threads: daemon (they never keep the JVM alive), named {@code
   * prefix} and a count, with a {@link #STACK_BYTES} stack.
   */
  static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
    var counter = new AtomicInteger();
    return r -> {
      Thread t = new EngineThread(r, prefix + counter.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Whether the calling thread is one of the engine's own platform threads (the JDK 17 pool's or
   * {@link AttemptThreads}'s): a step may run inline on it, since no caller waits on it and it pins
   * no virtual thread's carrier.
   */
  static boolean onEngineThread() {
    return Thread.currentThread() instanceof EngineThread;
  }

  /** A platform thread of the engine's own; its type marks it (see {@link #onEngineThread}). */
  private static final class EngineThread extends Thread {
    EngineThread(Runnable task, String name) {
      super(null, task, name, STACK_BYTES);
    }
  }

  /**
   * The JDK 21+ executor of a virtual thread per task, as the engine made it: its type tells it
   * from a host's executor, which may be the same JDK executor but is the host's to run its runs
   * on.
   */
  static final class VirtualThreads extends AbstractExecutorService {
    private final ExecutorService threads;

    VirtualThreads(ExecutorService threads) {
      this.threads = threads;
    }

    @Override
    public void execute(Runnable task) {
      threads.execute(task);
    }

    @Override
    public void shutdown() {
      threads.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
      return threads.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
      return threads.isShutdown();
    }

    @Override
    public boolean isTerminated() {
      return threads.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
      return threads.awaitTermination(timeout, unit);
    }
  }

  /** The JDK 17 pool, whose ceiling grows while capacity is reserved. */
  static final class Pool extends ThreadPoolExecutor {
    private static final AtomicInteger POOLS = new AtomicInteger();
    private int reserved;

    Pool() {
      super(
          0,
          POOL_MAX,
          60,
          TimeUnit.SECONDS,
          new SynchronousQueue<>(),
          daemonThreads("opsflow-" + POOLS.incrementAndGet() + "-"),
          new ThreadPoolExecutor.CallerRunsPolicy());
    }

    /** Raises the ceiling by {@code tasks} threads (or lowers it, when negative). */
    synchronized void adjust(int tasks) {
      reserved = Math.max(0, reserved + tasks);
      setMaximumPoolSize((int) Math.min(POOL_CEILING, (long) POOL_MAX + reserved));
    }
  }
}
