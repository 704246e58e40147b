package dev.opsflow.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * {@link FileRoundTripBenchmark}'s two operations interleaved: one 3-step run on the file store,
 * one floor (three appends of a third of a run's bytes, each followed by fsync), and so on, the
 * order swapped every pair, so that both see the same disk and the same neighbours (JMH runs them
 * one after the other, and on a shared disk the weather changes between them). Prints the minimum,
 * median, 90th and 99th percentiles of each and the ratios. Public API only, so that the same class
 * measures the code before a change.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.opsflow.bench.RoundTripComparison 2000
 * </pre>
 */
public final class RoundTripComparison {
  private RoundTripComparison() {}

  /** Argument: the measured pairs (default 2000); a fifth as many unmeasured first. */
  public static void main(String[] args) throws Exception {
    int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int warmup = Math.max(200, pairs / 5);
    var b = new FileRoundTripBenchmark();
    b.setUp();
    long[] run = new long[pairs];
    long[] floor = new long[pairs];
    try {
      for (int i = -warmup; i < pairs; i++) {
        long r;
        long f;
        if ((i & 1) == 0) {
          long t0 = System.nanoTime();
          b.opsflowFile();
          long t1 = System.nanoTime();
          b.floor();
          long t2 = System.nanoTime();
          r = t1 - t0;
          f = t2 - t1;
        } else {
          long t0 = System.nanoTime();
          b.floor();
          long t1 = System.nanoTime();
          b.opsflowFile();
          long t2 = System.nanoTime();
          f = t1 - t0;
          r = t2 - t1;
        }
        if (i >= 0) {
          run[i] = r;
          floor[i] = f;
        }
      }
    } finally {
      b.tearDown();
    }
    Arrays.sort(run);
    Arrays.sort(floor);
    System.out.printf(
        Locale.ROOT,
        "3-step run on the file store: min %s, median %s, p90 %s, p99 %s%n",
        us(run[0]),
        us(at(run, 0.5)),
        us(at(run, 0.9)),
        us(at(run, 0.99)));
    System.out.printf(
        Locale.ROOT,
        "floor, 3 x (write + fsync):    min %s, median %s, p90 %s, p99 %s%n",
        us(floor[0]),
        us(at(floor, 0.5)),
        us(at(floor, 0.9)),
        us(at(floor, 0.99)));
    System.out.printf(
        Locale.ROOT,
        "ratio: medians %.2f, minimums %.2f, p90 %.2f (%d pairs)%n",
        (double) at(run, 0.5) / at(floor, 0.5),
        (double) run[0] / floor[0],
        (double) at(run, 0.9) / at(floor, 0.9),
        pairs);
  }

  private static long at(long[] sorted, double q) {
    return sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))];
  }

  private static String us(long nanos) {
    return String.format(Locale.ROOT, "%.0f µs", nanos / 1000.0);
  }
}
