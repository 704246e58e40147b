package dev.opsflow.workflow.testing;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.WorkflowRun;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts the requests a simulator is serving at once, and can make it stall: a {@link Filter} on
 * the simulator's HTTP contexts. A request counts from the moment the server hands it to its
 * handler until the handler closes its answer (before the answer's last bytes leave). {@link
 * #peak()} is the most ever counted at once, which is how a test sees, at the server, the limit a
 * client's bulkhead keeps.
 *
 * <p>{@link #stall()} holds every request before its handler (counted, not answered) until {@link
 * #resume()}, as a server that stopped answering for a while: requests pile up at it as far as the
 * clients let them. A stalled request goes on by itself after {@link #MAX_STALL}, so a test that
 * forgets to resume does not hang. Thread-safe.
 */
public final class InFlightRequests extends Filter {
  /** How long a request stays stalled at most. */
  public static final Duration MAX_STALL = Duration.ofSeconds(60);

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private int now;
  private int peak;
  private long served;
  private boolean stalled;

  @Override
  public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
    enter();
    var left = new AtomicBoolean();
    // A request leaves when its handler closes the answer, before the answer's last bytes are
    // flushed: counted after the handler returned, a client that got its answer could already have
    // sent its next request, counted first, and the peak would read one above what it keeps.
    exchange.setStreams(
        null,
        new FilterOutputStream(exchange.getResponseBody()) {
          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
          }

          @Override
          public void close() throws IOException {
            leaveOnce(left);
            super.close();
          }
        });
    try {
      chain.doFilter(exchange);
    } finally {
      // A handler that never closed its answer (an error) leaves here.
      leaveOnce(left);
    }
  }

  private void leaveOnce(AtomicBoolean left) {
    if (left.compareAndSet(false, true)) {
      leave();
    }
  }

  @Override
  public String description() {
    return "counts the requests in flight at the simulator";
  }

  private void enter() {
    lock.lock();
    try {
      now++;
      peak = Math.max(peak, now);
      changed.signalAll();
      long left = MAX_STALL.toNanos();
      while (stalled && left > 0) {
        left = changed.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  private void leave() {
    lock.lock();
    try {
      now--;
      served++;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Requests being served now.
   *
   * @return how many requests are being served now
   */
  public int now() {
    return locked(() -> now);
  }

  /**
   * {@return the most requests ever served at once (since the start or the last {@link #reset()})}
   */
  public int peak() {
    return locked(() -> peak);
  }

  /**
   * Requests answered (since the start or the last {@link #reset()}).
   *
   * @return how many requests were answered
   */
  public long served() {
    return locked(() -> served);
  }

  /** Forgets the peak and the count of answered requests. */
  public void reset() {
    lock.lock();
    try {
      peak = now;
      served = 0;
    } finally {
      lock.unlock();
    }
  }

  /** Holds every request that arrives from now on, until {@link #resume()}. */
  public void stall() {
    lock.lock();
    try {
      stalled = true;
    } finally {
      lock.unlock();
    }
  }

  /** Lets the held requests, and every later one, go on. */
  public void resume() {
    lock.lock();
    try {
      stalled = false;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits (real time, at most {@code max}) until at least {@code count} requests are in flight.
   *
   * @param count how many requests
   * @param max how long to wait at most
   * @return whether they were
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean awaitInFlight(int count, Duration max) throws InterruptedException {
    return awaitUntil(() -> now >= count, max);
  }

  /**
   * Waits (real time, at most {@code max}) until {@code count} requests were answered since the
   * start or the last {@link #reset()}.
   *
   * @param count how many answered requests
   * @param max how long to wait at most
   * @return whether they were
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean awaitServed(long count, Duration max) throws InterruptedException {
    return awaitUntil(() -> served >= count, max);
  }

  /** Runs {@code action} holding the lock; returns what it returns. */
  private <T> T locked(java.util.function.Supplier<T> action) {
    lock.lock();
    try {
      return action.get();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits, holding the lock, until {@code condition} (read under the lock) holds, or {@code max}.
   */
  private boolean awaitUntil(java.util.function.BooleanSupplier condition, Duration max)
      throws InterruptedException {
    lock.lock();
    try {
      long left = max.toNanos();
      while (!condition.getAsBoolean()) {
        if (left <= 0) {
          return false;
        }
        left = changed.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Sends a batch against this server while it stalls: stalls it, starts {@code runs} runs of
   * {@code workflow} at once on {@code engine}, waits (at most 60 s, real time) until {@code held}
   * requests are held here, resumes, and waits for every run to end. With a client limited to N
   * requests in flight to this server, {@code held} = N shows the limit reached and {@link #peak()}
   * afterwards shows it kept.
   *
   * @param engine the engine to start the runs on
   * @param workflow the workflow each run runs, calling this server
   * @param runs how many runs to start at once
   * @param held how many requests must pile up at the stalled server
   * @return the runs' results, in the order they started
   * @throws IllegalStateException if {@code held} requests did not pile up here in time (the server
   *     is resumed before)
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public List<WorkflowResult> stallDuring(
      WorkflowEngine engine, Workflow workflow, int runs, int held) throws InterruptedException {
    Duration max = Duration.ofSeconds(60);
    stall();
    var started = new ArrayList<WorkflowRun>();
    try {
      for (int i = 0; i < runs; i++) {
        started.add(engine.start(workflow, Map.of()));
      }
      if (!awaitInFlight(held, max)) {
        throw new IllegalStateException(
            held + " requests were expected to pile up at the stalled server; " + now() + " did");
      }
    } finally {
      resume();
    }
    var results = new ArrayList<WorkflowResult>();
    for (WorkflowRun run : started) {
      results.add(run.await(max));
    }
    return results;
  }

  /** A counter with nothing in flight and no stall; add it to the simulator's contexts. */
  public InFlightRequests() {}
}
