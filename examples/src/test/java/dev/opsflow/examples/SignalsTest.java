package dev.opsflow.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The first signal cancels the supervised run; a second stops at once with status 13, the run left
 * resumable; with no run, the JVM's own status. (CliProcessIT sends a real SIGTERM.)
 */
class SignalsTest {
  final List<Integer> halts = new CopyOnWriteArrayList<>();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  final Signals signals =
      new Signals(new PrintStream(err, true, StandardCharsets.UTF_8), halts::add);

  @Test
  void theFirstSignalCancelsTheRunAndTheSecondStopsAtOnce() throws Exception {
    var cancels = new AtomicInteger();
    var cancelled = new CountDownLatch(1);
    signals.supervise(
        "run-1",
        () -> {
          cancels.incrementAndGet();
          cancelled.countDown();
        });

    signals.received("INT");
    assertThat(cancelled.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(halts).isEmpty();
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("cancelling run run-1", "opsflow resume run-1");

    signals.received("TERM");
    assertThat(halts).containsExactly(Signals.SECOND_SIGNAL_EXIT);
    assertThat(cancels).hasValue(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("left resumable");
  }

  @Test
  void withoutARunASignalEndsTheProcessAsTheJvmWould() {
    signals.received("INT");
    signals.received("TERM");
    assertThat(halts).containsExactly(130, 143);
  }
}
