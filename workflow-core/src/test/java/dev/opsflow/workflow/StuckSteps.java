package dev.opsflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Steps that never end by themselves, for the tests of abandoned attempts: each spins (or sleeps
 * through interrupts) until the test releases it, so every bound such a test checks is met only by
 * the engine. Register it with {@code @RegisterExtension}: after each test it releases the stuck
 * steps first, then closes what the test gave it, so that no engine waits for a step at its close
 * and no thread spins on into the next test.
 */
public final class StuckSteps implements AfterEachCallback {
  /** How long the engine may take for what it should do in about 100-300 ms. */
  public static final long BOUND_MS = 8_000;

  private final AtomicBoolean release = new AtomicBoolean();
  private final List<AutoCloseable> toClose = new ArrayList<>();

  /** Spins, ignoring interrupts, until the test releases it (or a minute passed). */
  public void spin() {
    long giveUp = giveUp();
    while (!release.get() && System.nanoTime() < giveUp) {
      Thread.onSpinWait();
    }
  }

  /**
   * Sleeps in short naps, swallowing every interrupt, until the test releases it (or a minute
   * passed).
   */
  public void swallowInterrupts() {
    long giveUp = giveUp();
    while (!release.get() && System.nanoTime() < giveUp) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException swallowed) {
        // what a vendor SDK that retries internally does
      }
    }
  }

  /** Lets every stuck step end. */
  public void release() {
    release.set(true);
  }

  /** Whether the test released the stuck steps. */
  public boolean released() {
    return release.get();
  }

  /**
   * Closes {@code closeable} after the test, before what was given earlier (an engine before the
   * pool of its store).
   */
  public <T extends AutoCloseable> T closeFirst(T closeable) {
    toClose.add(0, closeable);
    return closeable;
  }

  /** Closes {@code closeable} after the test, after what was given earlier. */
  public <T extends AutoCloseable> T closeLast(T closeable) {
    toClose.add(closeable);
    return closeable;
  }

  /** Waits until {@code condition} holds, failing the test after {@link #BOUND_MS}. */
  public static void waitUntil(BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BOUND_MS);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition met in time").isLessThan(end);
      Thread.sleep(10);
    }
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    release.set(true);
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  private static long giveUp() {
    return System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
  }
}
