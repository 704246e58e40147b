package dev.opsflow.redis.cloud.client;

import dev.failsafe.RateLimiter;
import dev.opsflow.workflow.CancelledException;
import dev.opsflow.workflow.spi.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Keeps the client under its request rate. A Failsafe smooth {@link RateLimiter} reserves each
 * permit ({@code reservePermit}) and the wait it returns goes through the injected {@link Sleeper}.
 * Failsafe measures real time; a clock that does not follow real time (a test's manual clock) would
 * make its reservations pile up, so with a sleeper that does not wait in real time ({@link
 * Sleeper#realTime()} false: a manual clock) the same smooth schedule (one permit per interval) is
 * kept on the injected clock from the first permit, and its waits skip time: simulated time then
 * never depends on how fast the machine runs. With a real sleeper, the schedule also moves to the
 * injected clock once that clock drifts a second from real time. Either way each reservation is at
 * least one interval after the previous one on the injected clock, so the rate holds in whichever
 * time the caller lives in. Thread-safe.
 */
final class RequestPacer {
  private final RateLimiter<Object> limiter;
  private final Duration interval;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Instant clockStart;
  private final long nanoStart = System.nanoTime();
  private boolean realTime;
  private Instant next;

  RequestPacer(int requestsPerMinute, Clock clock, Sleeper sleeper) {
    if (requestsPerMinute < 1) {
      throw new IllegalArgumentException(
          "requestsPerMinute must be >= 1, was " + requestsPerMinute);
    }
    this.limiter = RateLimiter.smoothBuilder(requestsPerMinute, Duration.ofMinutes(1)).build();
    this.interval = Duration.ofNanos(Duration.ofMinutes(1).toNanos() / requestsPerMinute);
    this.clock = clock;
    this.sleeper = sleeper;
    this.clockStart = clock.instant();
    // Failsafe's real-time reservations under a manual clock would add waits that depend on how
    // much real time passed between requests: simulated durations would vary from run to run.
    this.realTime = sleeper.realTime();
  }

  /** Takes a permit, sleeping until it is due. */
  void acquire() {
    Duration wait = reserve();
    if (wait.isZero() || wait.isNegative()) {
      return;
    }
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancelledException("interrupted while waiting for the Redis Cloud request rate");
    }
  }

  private synchronized Duration reserve() {
    Instant now = clock.instant();
    // Once the clock drifts a second from real time it is not following it (a manual clock).
    long drift = Duration.between(clockStart, now).toNanos() - (System.nanoTime() - nanoStart);
    realTime = realTime && Math.abs(drift) < 1_000_000_000L;
    Duration failsafeWait = realTime ? limiter.reservePermit() : Duration.ZERO;
    Instant at = now.plus(failsafeWait);
    if (next != null && next.isAfter(at)) {
      at = next;
    }
    next = at.plus(interval);
    return Duration.between(now, at);
  }
}
