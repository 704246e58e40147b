package dev.opsflow.workflow.store;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The file store's own thread pools: daemon threads named {@code <name>-<n>}, made when first
 * needed and ended when idle for 5 s. A class rather than a lambda for the thread factory: the
 * pools are made when a store opens, and a JVM's start-up spins a class for each lambda.
 */
final class StoreThreads implements ThreadFactory {
  private final String name;
  private final AtomicInteger count = new AtomicInteger();

  private StoreThreads(String name) {
    this.name = name;
  }

  /** A pool of at most {@code threads} daemon threads named after {@code name}. */
  static ThreadPoolExecutor pool(String name, int threads) {
    var pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            5,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            new StoreThreads(name));
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  @Override
  public Thread newThread(Runnable r) {
    Thread t = new Thread(r, name + "-" + count.incrementAndGet());
    t.setDaemon(true);
    return t;
  }
}
