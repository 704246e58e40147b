package dev.opsflow.workflow.store;

import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowRun;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many syncs the commits of 1,000 runs of 5 no-op steps started at once cost on the file store,
 * counted through the store's sync hook (the file store's package-private {@code open(Path,
 * FileSyncs)}, the same in the code before group commit), and the time those syncs took; one line a
 * round, each on a fresh store. Group commit shows as far fewer syncs than the 5,000 synced
 * commits. In the store's package so that it can reach the hook; not a JMH benchmark.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.opsflow.workflow.store.GroupCommitProbe 6
 * </pre>
 */
public final class GroupCommitProbe {
  private GroupCommitProbe() {}

  /** Argument: the rounds (default 6). */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
    var b = Workflow.builder("five-steps");
    for (int i = 1; i <= 5; i++) {
      b.step(Step.of("step-" + i, ctx -> {}));
    }
    Workflow workflow = b.build();
    Path base =
        Path.of(System.getProperty("opsflow.bench.dir", System.getProperty("java.io.tmpdir")));
    for (int round = 0; round < rounds; round++) {
      var syncs = new AtomicLong();
      var nanos = new AtomicLong();
      FileSyncs counting =
          new FileSyncs() {
            @Override
            public void file(FileChannel ch, boolean allMetadata) throws IOException {
              long t0 = System.nanoTime();
              ch.force(allMetadata);
              nanos.addAndGet(System.nanoTime() - t0);
              syncs.incrementAndGet();
            }

            @Override
            public void directory(Path dir) throws IOException {
              FileSyncs.OS.directory(dir);
            }
          };
      Path dir = Files.createTempDirectory(base, "opsflow-group-commit-");
      long t0 = System.nanoTime();
      try (var engine =
          WorkflowEngine.builder().store(FileExecutionStore.open(dir, counting)).build()) {
        var runs = new ArrayList<WorkflowRun>();
        for (int i = 0; i < 1000; i++) {
          runs.add(engine.start(workflow, Map.of()));
        }
        for (WorkflowRun r : runs) {
          r.await();
        }
      }
      long ms = (System.nanoTime() - t0) / 1_000_000;
      System.out.printf(
          Locale.ROOT,
          "round %d: 1000 runs in %d ms, %d commit syncs taking %d ms in all%n",
          round,
          ms,
          syncs.get(),
          nanos.get() / 1_000_000);
      dev.opsflow.bench.BenchFiles.deleteTree(dir);
    }
  }
}
