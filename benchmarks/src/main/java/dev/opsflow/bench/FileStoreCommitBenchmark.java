package dev.opsflow.bench;

import dev.opsflow.workflow.spi.RunRecord;
import dev.opsflow.workflow.store.FileExecutionStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The file store's cost per step commit, over the 7 commits of a 5-step run's life ({@link
 * StoreBenchmarkData}; the create of each run is done untimed, in an invocation setup), against the
 * baseline of writing the same bytes to a file and fsyncing it ({@code FileChannel.write} + {@code
 * force(true)}, and with fdatasync, {@code force(false)}, which is how the store syncs an append)
 * on the same disk: the baseline writes each new run's first frame untimed, then appends each
 * commit's frame, timed. The store adds the lock, reading and checking the file, and serialising
 * the run and its events.
 *
 * <p>The directory is {@code -Dopsflow.bench.dir} (default: a temp dir under {@code
 * java.io.tmpdir}): point it at the disk you care about.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class FileStoreCommitBenchmark {
  Path dir;
  StoreBenchmarkData store;
  List<byte[]> lifeBytes;
  FileChannel raw;
  int rawOp;
  long rawAt;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    Path base =
        Path.of(System.getProperty("opsflow.bench.dir", System.getProperty("java.io.tmpdir")));
    Files.createDirectories(base);
    dir = Files.createTempDirectory(base, "opsflow-file-bench-");
    store = new StoreBenchmarkData(FileExecutionStore.open(dir.resolve("store")), "run");
    lifeBytes = captureOneLife();
    raw =
        FileChannel.open(
            dir.resolve("raw.bin"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
  }

  /** The bytes each operation of one run's life wrote, as the store wrote them. */
  private List<byte[]> captureOneLife() throws IOException {
    var capture = new StoreBenchmarkData(FileExecutionStore.open(dir.resolve("capture")), "c");
    var out = new ArrayList<byte[]>();
    int before = 0;
    for (int i = 0; i < StoreBenchmarkData.OPS_PER_RUN; i++) {
      RunRecord r = capture.next();
      byte[] file = Files.readAllBytes(dir.resolve("capture").resolve(r.runId() + ".run"));
      out.add(Arrays.copyOfRange(file, before, file.length));
      before = file.length;
    }
    return out;
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    raw.close();
    BenchFiles.deleteTree(dir);
  }

  /**
   * Untimed: a new run when the last one's life is over (store and baseline alike), and the store's
   * next record and events.
   */
  @Setup(Level.Invocation)
  public void newRunIfDue() throws IOException {
    store.prepare();
    if (rawOp == 0) {
      raw.truncate(0);
      rawAt = 0;
      rawOp = 1;
      rawAt += raw.write(ByteBuffer.wrap(lifeBytes.get(0)), 0);
      raw.force(true);
    }
  }

  @Benchmark
  public RunRecord fileStoreStepCommit() {
    return store.commit();
  }

  @Benchmark
  public int baselineWriteAndFsyncSameBytes() throws IOException {
    return rawAppend(true);
  }

  /** The same with fdatasync ({@code force(false)}), as the store syncs its appends. */
  @Benchmark
  public int baselineWriteAndFdatasyncSameBytes() throws IOException {
    return rawAppend(false);
  }

  private int rawAppend(boolean metadata) throws IOException {
    byte[] bytes = lifeBytes.get(rawOp);
    rawOp = (rawOp + 1) % lifeBytes.size();
    int n = raw.write(ByteBuffer.wrap(bytes), rawAt);
    rawAt += n;
    raw.force(metadata);
    return n;
  }
}
