package dev.opsflow.workflow.internal;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads a step's attempts run on, apart from the thread that runs the workflow, and the
 * engine's count of abandoned attempts: attempts that went past their timeout or a cancel, did not
 * stop within their grace, and were left to finish on their own. The run never waits for an attempt
 * longer than its deadline plus a grace, so a step that ignores interrupts cannot hold a run, a
 * cancel or a close. Thread-safe. Not part of the API.
 *
 * <p>The threads are the engine's own, never the host's executor: a run waiting for its attempt
 * must not wait behind it in a bounded queue. They are platform threads (daemon, made on demand,
 * ended after a minute idle) even where the JVM has virtual threads: a step that busy-spins or
 * blocks in native code would pin a virtual thread's carrier, and a few such steps would stall
 * every virtual thread of the JVM, the engine's runs included.
 */
public final class AttemptThreads {
  private static final AtomicInteger ENGINES = new AtomicInteger();

  private final ExecutorService executor;
  private final AtomicInteger abandoned = new AtomicInteger();
  private final int maxAbandoned;
  private final Duration cancelGrace;
  private final Duration timeoutGrace;

  /**
   * @param maxAbandoned abandoned attempts still running at which a new attempt fails instead of
   *     starting
   * @param cancelGrace how long an attempt may take to stop after a cancel
   * @param timeoutGrace how long an attempt may take to stop after its timeout or its run's
   */
  public AttemptThreads(int maxAbandoned, Duration cancelGrace, Duration timeoutGrace) {
    this.maxAbandoned = maxAbandoned;
    this.cancelGrace = cancelGrace;
    this.timeoutGrace = timeoutGrace;
    this.executor = createExecutor();
  }

  private static ExecutorService createExecutor() {
    return new ThreadPoolExecutor(
        0,
        Integer.MAX_VALUE,
        60,
        TimeUnit.SECONDS,
        new SynchronousQueue<>(),
        DefaultExecutors.daemonThreads("opsflow-attempt-" + ENGINES.incrementAndGet() + "-"));
  }

  /** Runs {@code attempt} on a thread of its own, or on the caller's if none can be had. */
  void start(Runnable attempt) {
    try {
      executor.execute(attempt);
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      attempt.run();
    }
  }

  /**
   * The same platform threads, for runs whose steps run inline (on JDK 21+, where the engine's
   * default executor makes virtual threads) and for the rest of a run whose thread was held by an
   * abandoned attempt.
   */
  java.util.concurrent.Executor executor() {
    return executor;
  }

  /**
   * Runs {@code task} on a thread of its own: one of these, or a new one when they are shut down
   * (the engine closes), never the caller's: the caller is the engine's watchdog.
   */
  void startElsewhere(Runnable task) {
    try {
      executor.execute(task);
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      DefaultExecutors.daemonThreads("opsflow-handoff-").newThread(task).start();
    }
  }

  /** Abandoned attempts whose threads still run. */
  public int abandoned() {
    return abandoned.get();
  }

  int maxAbandoned() {
    return maxAbandoned;
  }

  Duration cancelGrace() {
    return cancelGrace;
  }

  Duration timeoutGrace() {
    return timeoutGrace;
  }

  void abandonedOne() {
    abandoned.incrementAndGet();
  }

  void abandonedEnded() {
    abandoned.decrementAndGet();
  }

  /** Interrupts every attempt still running; for the engine's close. */
  public void shutdown() {
    executor.shutdownNow();
  }
}
