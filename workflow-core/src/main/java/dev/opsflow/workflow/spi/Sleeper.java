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
   * @param duration how long to wait
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  void sleep(Duration duration) throws InterruptedException;

  /**
   * {@return whether this sleeper waits in real time, like {@link #system()}: the engine may then
   * wait on its own timer instead of in this sleeper (a run between two polls of a {@link
   * dev.opsflow.workflow.PollingStep} holds no thread)} False by default: a test sleeper that moves
   * a manual clock is called for every wait.
   */
  default boolean realTime() {
    return false;
  }

  /** {@return the real sleeper: {@link Thread#sleep}} */
  static Sleeper system() {
    return SystemSleeper.INSTANCE;
  }
}

/** {@link Sleeper#system()}. */
enum SystemSleeper implements Sleeper {
  INSTANCE;

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    if (!duration.isNegative() && !duration.isZero()) {
      Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
    }
  }

  @Override
  public boolean realTime() {
    return true;
  }
}
