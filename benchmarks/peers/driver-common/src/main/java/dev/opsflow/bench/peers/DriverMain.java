package dev.opsflow.bench.peers;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every system's driver of {@link PeerComparison} does, in its own JVM, so that the figures
 * mean the same for each: {@code startup} (JVM start to the first step of a first 3-step workflow),
 * {@code roundtrip <n>} (n 3-step workflows one after the other, each from start to result, after
 * as many unmeasured; at most 10 s of warm-up and 20 s of measurement, at least 5 samples), {@code
 * throughput <n>} (n 5-step workflows started at once, until all have a result). Steps do nothing.
 * Prints one line of {@code key=value} pairs that the comparison parses. This one source is
 * compiled into the benchmarks module and into each peer's driver project (they share no
 * classpath), each adding benchmarks/peers/driver-common as a source directory.
 */
public final class DriverMain {
  /** A system under test, as its driver adapts it. */
  public interface System {
    /** Sets the system up (not measured in round trips and throughput). */
    void setUp() throws Exception;

    /** Runs one 3-step workflow to its result; {@code firstStep} is called by its first step. */
    void roundTrip(Runnable firstStep) throws Exception;

    /** Starts {@code n} 5-step workflows at once and returns when all have a result. */
    void throughput(int n) throws Exception;

    /** Releases what setUp took. */
    void tearDown() throws Exception;
  }

  private DriverMain() {}

  /** Runs the mode in {@code args} against {@code system}, printing its figures. */
  public static void run(System system, String[] args) throws Exception {
    String mode = args[0];
    AtomicLong first = new AtomicLong();
    system.setUp();
    try {
      switch (mode) {
        case "startup" -> {
          system.roundTrip(() -> first.compareAndSet(0, java.lang.System.currentTimeMillis()));
          long start = ManagementFactory.getRuntimeMXBean().getStartTime();
          java.lang.System.out.println("first_ms=" + (first.get() - start));
        }
        case "roundtrip" -> {
          int n = Integer.parseInt(args[1]);
          // Bounded in time too: a system that polls takes seconds a workflow.
          long warmUntil = java.lang.System.nanoTime() + 10_000_000_000L;
          for (int i = 0; i < n && java.lang.System.nanoTime() < warmUntil; i++) {
            system.roundTrip(() -> {});
          }
          List<Long> micros = new ArrayList<>();
          long measureUntil = java.lang.System.nanoTime() + 20_000_000_000L;
          for (int i = 0; i < n && (i < 5 || java.lang.System.nanoTime() < measureUntil); i++) {
            long t0 = java.lang.System.nanoTime();
            system.roundTrip(() -> {});
            micros.add((java.lang.System.nanoTime() - t0) / 1000);
          }
          java.lang.System.out.println(
              "roundtrip_us=" + String.join(",", micros.stream().map(String::valueOf).toList()));
        }
        case "throughput" -> {
          int n = Integer.parseInt(args[1]);
          system.throughput(Math.max(1, n / 10));
          long t0 = java.lang.System.nanoTime();
          system.throughput(n);
          double s = (java.lang.System.nanoTime() - t0) / 1e9;
          java.lang.System.out.printf("runs_per_s=%.1f%n", n / s);
        }
        default -> throw new IllegalArgumentException("mode must be startup|roundtrip|throughput");
      }
    } finally {
      system.tearDown();
    }
  }
}
