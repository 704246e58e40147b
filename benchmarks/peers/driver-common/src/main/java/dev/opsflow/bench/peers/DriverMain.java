package dev.opsflow.bench.peers;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every system's driver of {@link PeerComparison} does, in its own JVM, so that the figures
 * mean the same for each: {@code startup} (JVM start to the first step of a first 3-step workflow),
 * {@code roundtrip <n>} (n 3-step workflows one after the other, each from start to result, after
 * as many unmeasured; at most 10 s of warm-up and 20 s of measurement, at least 5 samples), {@code
 * throughput <n>} (n 5-step workflows started at once, until all have a result), {@code serve <n>}
 * (warms up as {@code roundtrip} does, prints {@code ready}, then reads commands on stdin, one a
 * line: {@code trip} does one 3-step workflow from start to result and prints {@code trip_us=<its
 * microseconds>}; {@code quit}, or the end of stdin, ends it), so that the comparison can keep one
 * JVM per system alive and step them in turn, trip by trip ({@code InterleavedRoundTrips} in the
 * benchmarks module). Steps do nothing. Prints {@code key=value} lines that the comparison parses,
 * and ignores whatever else a system prints (its logs). This one source is compiled into the
 * benchmarks module and into each peer's driver project (they share no classpath), each adding
 * benchmarks/peers/driver-common as a source directory.
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
          warmUp(system, n);
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
        case "serve" -> {
          warmUp(system, Integer.parseInt(args[1]));
          serve(system);
        }
        default ->
            throw new IllegalArgumentException("mode must be startup|roundtrip|throughput|serve");
      }
    } finally {
      system.tearDown();
    }
  }

  /** Up to {@code n} unmeasured round trips, bounded in time: a system that polls takes seconds. */
  private static void warmUp(System system, int n) throws Exception {
    long warmUntil = java.lang.System.nanoTime() + 10_000_000_000L;
    for (int i = 0; i < n && java.lang.System.nanoTime() < warmUntil; i++) {
      system.roundTrip(() -> {});
    }
  }

  /**
   * Answers the comparison's commands until {@code quit} or the end of stdin (the comparison closes
   * it, or died: then this JVM ends too rather than linger).
   */
  private static void serve(System system) throws Exception {
    var out = java.lang.System.out;
    out.println("ready");
    out.flush();
    var in = new BufferedReader(new InputStreamReader(java.lang.System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      switch (line.strip()) {
        case "trip" -> {
          long t0 = java.lang.System.nanoTime();
          system.roundTrip(() -> {});
          out.println("trip_us=" + (java.lang.System.nanoTime() - t0) / 1000);
          out.flush();
        }
        case "quit" -> {
          return;
        }
        default -> throw new IllegalArgumentException("command must be trip|quit, was: " + line);
      }
    }
  }
}
