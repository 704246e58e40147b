package dev.opsflow.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * Side by side, interleaved: one store step commit, one baseline operation, and so on, so that both
 * see the same disk and the same neighbours (on a shared machine, JMH's one-after-the-other
 * iterations can land in different weather). Prints the median, 90th percentile and mean of each
 * and the ratio of the medians.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.opsflow.bench.StoreCommitComparison file 3000
 * java -Dopsflow.bench.jdbc.url=... -cp benchmarks/target/benchmarks.jar \
 *     dev.opsflow.bench.StoreCommitComparison postgres 3000
 * </pre>
 */
public final class StoreCommitComparison {
  private StoreCommitComparison() {}

  /**
   * Arguments: {@code file} (baseline write + fsync), {@code file-fdatasync} (baseline write +
   * fdatasync) or {@code postgres}, and the number of measured pairs (default 2000).
   */
  public static void main(String[] args) throws Exception {
    String which = args.length > 0 ? args[0] : "file";
    int pairs = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    int warmup = Math.max(200, pairs / 5);
    long[] store = new long[pairs];
    long[] baseline = new long[pairs];
    String baselineName;
    if (which.equals("file") || which.equals("file-fdatasync")) {
      boolean fsync = which.equals("file");
      baselineName = fsync ? "write + fsync" : "write + fdatasync";
      var b = new FileStoreCommitBenchmark();
      b.setUp();
      try {
        measure(
            warmup,
            pairs,
            store,
            baseline,
            b::newRunIfDue,
            b::fileStoreStepCommit,
            fsync ? b::baselineWriteAndFsyncSameBytes : b::baselineWriteAndFdatasyncSameBytes);
      } finally {
        b.tearDown();
      }
    } else if (which.equals("postgres")) {
      baselineName = "INSERT + COMMIT";
      var b = new PostgresCommitBenchmark();
      b.setUp();
      try {
        measure(
            warmup,
            pairs,
            store,
            baseline,
            b::newRunIfDue,
            b::jdbcStoreStepCommit,
            b::baselineInsertOneRowAndCommit);
      } finally {
        b.tearDown();
      }
    } else {
      throw new IllegalArgumentException(
          "first argument must be file, file-fdatasync or " + "postgres, was " + which);
    }
    report(which + " store step commit", store);
    report("baseline " + baselineName, baseline);
    System.out.printf(
        Locale.ROOT,
        "ratio of medians (store / baseline): %.2f%n",
        (double) median(store) / median(baseline));
  }

  /** An operation that may throw. */
  interface Op {
    Object run() throws Exception;
  }

  /** An untimed preparation that may throw. */
  interface Prep {
    void run() throws Exception;
  }

  private static void measure(
      int warmup, int pairs, long[] store, long[] baseline, Prep prepare, Op storeOp, Op baselineOp)
      throws Exception {
    for (int i = 0; i < warmup + pairs; i++) {
      prepare.run();
      long t0 = System.nanoTime();
      storeOp.run();
      long t1 = System.nanoTime();
      baselineOp.run();
      long t2 = System.nanoTime();
      if (i >= warmup) {
        store[i - warmup] = t1 - t0;
        baseline[i - warmup] = t2 - t1;
      }
    }
  }

  private static void report(String what, long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    System.out.printf(
        Locale.ROOT,
        "%-32s n=%d  median %8.1f us  p90 %8.1f us  mean %8.1f us%n",
        what,
        sorted.length,
        median(sorted) / 1000.0,
        sorted[(int) (sorted.length * 0.9)] / 1000.0,
        Arrays.stream(sorted).average().orElse(0) / 1000.0);
  }

  private static long median(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
