package dev.opsflow.workflow.spi;

import java.time.Duration;

/**
 * Everything in Opsflow that waits goes through a sleeper, so tests can skip time with {@link
 * dev.opsflow.workflow.testing.ManualClock}. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Sleeper {

  /**
   * Waits for {@code duration}.
   *
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  void sleep(Duration duration) throws InterruptedException;

  /** The real sleeper: {@link Thread#sleep}. */
  static Sleeper system() {
    return duration -> {
      if (!duration.isNegative() && !duration.isZero()) {
        Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
      }
    };
  }
}
