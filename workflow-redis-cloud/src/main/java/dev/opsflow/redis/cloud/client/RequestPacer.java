package dev.opsflow.redis.cloud.client;

import dev.failsafe.RateLimiter;
import dev.opsflow.workflow.CancelledException;
import dev.opsflow.workflow.spi.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Keeps the client under its request rate. A Failsafe smooth {@link RateLimiter} reserves each
 * permit ({@code reservePermit}) and the wait it returns goes through the injected {@link
 * Sleeper}. Failsafe measures real time; a clock that does not follow real time (a test's manual
 * clock) would make its reservations pile up, so with such a clock the same smooth schedule (one
 * permit per interval) is kept on the injected clock instead, and its waits skip time. Either
 * way each reservation is at least one interval after the previous one on the injected clock, so
 * the rate holds in whichever time the caller lives in. Thread-safe.
 */
final class RequestPacer {
  private final RateLimiter<Object> limiter;
  private final Duration interval;
  private final Clock clock;
  private final Sleeper sleeper;
  private final boolean realTime;
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
    this.realTime = Math.abs(clock.millis() - System.currentTimeMillis()) < 5_000;
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
    Duration failsafeWait = realTime ? limiter.reservePermit() : Duration.ZERO;
    Instant now = clock.instant();
    Instant at = now.plus(failsafeWait);
    if (next != null && next.isAfter(at)) {
      at = next;
    }
    next = at.plus(interval);
    return Duration.between(now, at);
  }
}
