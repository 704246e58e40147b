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
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
    var parts = new ArrayList<>(RunBreakdown.PARTS);
    parts.add("floor unit: 1 KB write + fdatasync");
    String[] names = parts.toArray(String[]::new);
    var samples = new LinkedHashMap<String, long[]>();
    for (String name : names) {
      samples.put(name, new long[n]);
    }
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
        RunBreakdown.split(timed, t0, t1, t);
        kb.rewind();
        long a = System.nanoTime();
        ch.write(kb, 0);
        ch.force(false);
        t[RunBreakdown.PARTS.size()] = System.nanoTime() - a;
        if (i >= 0) {
          for (int k = 0; k < names.length; k++) {
            samples.get(names[k])[i] = t[k];
          }
        }
      }
    } finally {
      BenchFiles.deleteTree(dir);
    }
    RunBreakdown.print(samples);
  }
}
