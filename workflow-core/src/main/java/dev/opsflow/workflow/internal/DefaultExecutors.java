package dev.opsflow.workflow.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The engine's default executor: virtual threads when the running JVM has them (JDK 21+, found
 * at run time, since the library targets release 17), else a bounded pool of daemon threads that
 * runs a task on the caller's thread when full, so nested fan-outs can never deadlock.
 */
public final class DefaultExecutors {
  /** Threads of the JDK 17 pool. */
  public static final int POOL_MAX = 256;

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
    var counter = new AtomicInteger();
    var pool = new ThreadPoolExecutor(0, POOL_MAX, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
        r -> {
          Thread t = new Thread(r, "opsflow-" + counter.incrementAndGet());
          t.setDaemon(true);
          return t;
        },
        new ThreadPoolExecutor.CallerRunsPolicy());
    return pool;
  }

  private static ExecutorService virtualFactory() {
    try {
      var handle = MethodHandles.publicLookup().findStatic(java.util.concurrent.Executors.class,
          "newVirtualThreadPerTaskExecutor", MethodType.methodType(ExecutorService.class));
      return (ExecutorService) handle.invoke();
    } catch (Throwable e) {
      return null;
    }
  }
}
