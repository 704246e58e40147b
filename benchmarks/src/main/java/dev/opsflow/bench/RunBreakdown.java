package dev.opsflow.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A lone 3-step {@code engine.run} split at its store calls, as {@link TimedStore} noted them, and
 * the table the breakdowns print ({@link FileRoundTripBreakdown}, {@link
 * PostgresRoundTripBreakdown}).
 */
final class RunBreakdown {
  /** The parts {@link #split} fills, in its order. */
  static final List<String> PARTS =
      List.of(
          "engine.run, 3 steps",
          "  caller to first store call",
          "  create (unsynced; or with the start)",
          "  create to start commit (hand-off)",
          "  start commit (unsynced)",
          "  commit of step 1",
          "  commit of step 2",
          "  commit of step 3 with the end",
          "  engine between store calls (sum)",
          "  last commit to caller (hand-back)");

  private RunBreakdown() {}

  /**
   * Puts the nanoseconds of each of {@link #PARTS} of the run that went from {@code t0} to {@code
   * t1} into {@code into[0, PARTS.size())}: 5 store calls (a creation, the start, 3 step commits)
   * or 4 (the creation with the start, 3 commits).
   *
   * @throws IllegalStateException when the store saw another number of calls
   */
  static void split(TimedStore timed, long t0, long t1, long[] into) {
    List<long[]> calls = timed.calls();
    int k0 = calls.size() - 3;
    if (k0 != 1 && k0 != 2) {
      throw new IllegalStateException("expected 4 or 5 store calls, got " + calls.size());
    }
    Arrays.fill(into, 0, PARTS.size(), 0);
    into[0] = t1 - t0;
    into[1] = calls.get(0)[0] - t0;
    into[2] = calls.get(0)[1] - calls.get(0)[0];
    if (k0 == 2) {
      into[3] = calls.get(1)[0] - calls.get(0)[1];
      into[4] = calls.get(1)[1] - calls.get(1)[0];
    }
    for (int k = 0; k < 3; k++) {
      into[5 + k] = calls.get(k0 + k)[1] - calls.get(k0 + k)[0];
      into[8] += calls.get(k0 + k)[0] - calls.get(k0 + k - 1)[1];
    }
    into[9] = t1 - calls.get(k0 + 2)[1];
  }

  /** Prints the median, p10 and p90 of each named sample (nanoseconds), in microseconds. */
  static void print(Map<String, long[]> samples) {
    int width = samples.keySet().stream().mapToInt(String::length).max().orElse(0);
    String row = "%-" + width + "s %10.1f %10.1f %10.1f%n";
    System.out.printf(
        Locale.ROOT, "%-" + width + "s %10s %10s %10s%n", "", "median us", "p10 us", "p90 us");
    for (var e : samples.entrySet()) {
      long[] v = e.getValue().clone();
      Arrays.sort(v);
      System.out.printf(
          Locale.ROOT,
          row,
          e.getKey(),
          v[v.length / 2] / 1e3,
          v[v.length / 10] / 1e3,
          v[v.length * 9 / 10] / 1e3);
    }
  }
}
