package dev.opsflow.bench;

import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.store.FileExecutionStore;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a lone 3-step run's time goes on the file store: the run's round trip ({@code engine.run})
 * split at each store call by a timing store wrapper ({@link TimedStore}), run by run, beside the
 * floor's unit measured after each run on the same disk (1 KB written at offset 0 of a file made
 * once, and {@code fdatasync}ed). Prints the median, p10 and p90 of each part. Public API only, so
 * that the same class measures the code before a change.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.opsflow.bench.FileRoundTripBreakdown 2000 /tmp
 * </pre>
 */
public final class FileRoundTripBreakdown {
  private FileRoundTripBreakdown() {}

  /**
   * Runs the breakdown.
   *
   * @param args the measured runs (default 2000; a fifth as many, at least 200, unmeasured first)
   *     and the directory under which the store and the floor's file are made (default the temp
   *     directory); both are deleted at the end
   * @throws Exception when the disk fails
   */
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    Path base = Path.of(args.length > 1 ? args[1] : System.getProperty("java.io.tmpdir"));
    int warmup = Math.max(200, n / 5);
    String[] names = {
      "engine.run, 3 steps",
      "  caller to first store call",
      "  creation (with the start, where one call)",
      "  creation to start commit",
      "  start commit (unsynced)",
      "  commit of step 1",
      "  commit of step 2",
      "  commit of step 3 with the end",
      "  engine between store calls (sum)",
      "  last commit to caller",
      "floor unit: 1 KB write + fdatasync"
    };
    long[][] samples = new long[names.length][n];
    Path dir = Files.createTempDirectory(base, "opsflow-breakdown");
    Workflow three =
        Workflow.builder("three")
            .step(Step.of("s1", ctx -> {}))
            .step(Step.of("s2", ctx -> {}))
            .step(Step.of("s3", ctx -> {}))
            .build();
    Path file = dir.resolve("floor.bin");
    Files.write(file, new byte[4096]);
    ByteBuffer kb = ByteBuffer.wrap(new byte[1024]);
    try (var store = FileExecutionStore.open(dir.resolve("store"));
        var engine = WorkflowEngine.builder().store(new TimedStore(store)).build();
        FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      var timed = (TimedStore) engine.store();
      for (int i = -warmup; i < n; i++) {
        long[] t = new long[names.length];
        timed.reset();
        long t0 = System.nanoTime();
        var result = engine.run(three, Map.of(), RunOptions.defaults());
        long t1 = System.nanoTime();
        if (!result.success()) {
          throw new IllegalStateException("run failed: " + result);
        }
        List<long[]> calls = timed.calls();
        // 5 calls: create, start, 3 step commits; 4: the creation with the start, 3 commits.
        int k0 = calls.size() - 3;
        if (k0 != 1 && k0 != 2) {
          throw new IllegalStateException("expected 4 or 5 store calls, got " + calls.size());
        }
        t[0] = t1 - t0;
        t[1] = calls.get(0)[0] - t0;
        t[2] = calls.get(0)[1] - calls.get(0)[0];
        if (k0 == 2) {
          t[3] = calls.get(1)[0] - calls.get(0)[1];
          t[4] = calls.get(1)[1] - calls.get(1)[0];
        }
        for (int k = 0; k < 3; k++) {
          t[5 + k] = calls.get(k0 + k)[1] - calls.get(k0 + k)[0];
          t[8] += calls.get(k0 + k)[0] - calls.get(k0 + k - 1)[1];
        }
        t[9] = t1 - calls.get(k0 + 2)[1];
        kb.rewind();
        long a = System.nanoTime();
        ch.write(kb, 0);
        ch.force(false);
        t[10] = System.nanoTime() - a;
        if (i >= 0) {
          for (int k = 0; k < names.length; k++) {
            samples[k][i] = t[k];
          }
        }
      }
    } finally {
      BenchFiles.deleteTree(dir);
    }
    System.out.printf(Locale.ROOT, "%-44s %10s %10s %10s%n", "", "median us", "p10 us", "p90 us");
    for (int k = 0; k < names.length; k++) {
      long[] v = samples[k];
      Arrays.sort(v);
      System.out.printf(
          Locale.ROOT,
          "%-44s %10.1f %10.1f %10.1f%n",
          names[k],
          v[n / 2] / 1e3,
          v[n / 10] / 1e3,
          v[n * 9 / 10] / 1e3);
    }
  }
}
