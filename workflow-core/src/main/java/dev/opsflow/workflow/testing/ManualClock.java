package dev.opsflow.workflow.testing;

import dev.opsflow.workflow.spi.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that moves only when told to, and a sleeper that moves it instead of waiting: give it to
 * an engine as both its clock and its sleeper, and a workflow that polls for 30 minutes runs in
 * milliseconds. Simulators take it too, so their simulated time is the engine's.
 *
 * <pre>{@code
 * var time = new ManualClock();
 * var engine = WorkflowEngine.builder().clock(time).sleeper(time).build();
 * }</pre>
 *
 * <p>Thread-safe. A sleep on an interrupted thread throws {@link InterruptedException}, like {@link
 * Thread#sleep}.
 */
public final class ManualClock extends Clock implements Sleeper {
  private final AtomicReference<Instant> now;
  private final AtomicLong sleeps = new AtomicLong();
  private final AtomicLong slept = new AtomicLong();

  /** A clock at 2026-01-01T00:00:00Z. */
  public ManualClock() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  /**
   * A clock at {@code start}.
   *
   * @param start the clock's first instant
   */
  public ManualClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  /**
   * Moves the clock forward.
   *
   * @param by how far to move it, not negative
   * @throws IllegalArgumentException if {@code by} is negative
   */
  public void advance(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("cannot move a clock back: " + by);
    }
    now.updateAndGet(t -> t.plus(by));
  }

  /** Moves the clock by {@code duration} at once, as if that much time had passed. */
  @Override
  public void sleep(Duration duration) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException("interrupted before sleeping " + duration);
    }
    sleeps.incrementAndGet();
    if (!duration.isNegative()) {
      slept.addAndGet(duration.toMillis());
      advance(duration);
    }
    // Let other threads (a simulator, a parallel item) make progress as real time would allow.
    Thread.yield();
  }

  /** {@return how many times {@link #sleep} was called} */
  public long sleepCount() {
    return sleeps.get();
  }

  /** {@return the total time slept, in milliseconds} */
  public long totalSleptMillis() {
    return slept.get();
  }
}
