package dev.opsflow.bench;

import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.store.FileExecutionStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
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
 * A 3-step durable workflow of no-op steps on the file store, from {@code engine.run} to its result
 * (issue 15, part 2), against its floor in the same JMH run: three appends to one file, each
 * followed by {@code fsync}, together of as many bytes as the store wrote for one run (measured
 * from a run's file at set-up, so the floor writes the same bytes).
 *
 * <p>Only public API: the same class measures the code before a change, built in another tree. The
 * directory is {@code -Dopsflow.bench.dir} (default: a temp dir under {@code java.io.tmpdir}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FileRoundTripBenchmark {
  Path dir;
  WorkflowEngine engine;
  Workflow three;
  FileChannel floor;
  byte[] floorWrite;
  long floorAt;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    Path base =
        Path.of(System.getProperty("opsflow.bench.dir", System.getProperty("java.io.tmpdir")));
    Files.createDirectories(base);
    dir = Files.createTempDirectory(base, "opsflow-roundtrip-");
    engine =
        WorkflowEngine.builder()
            .store(FileExecutionStore.open(dir.resolve("store")))
            .ownerId("bench")
            .build();
    var b = Workflow.builder("round-trip").version(1);
    for (String name : new String[] {"one", "two", "three"}) {
      b.step(Step.of(name, ctx -> {}));
    }
    three = b.build();
    WorkflowResult first = engine.run(three, Map.of(), RunOptions.defaults());
    long runBytes = Files.size(dir.resolve("store").resolve(first.runId() + ".run"));
    floorWrite = new byte[(int) (runBytes / 3)];
    java.util.Arrays.fill(floorWrite, (byte) 'x');
    floor =
        FileChannel.open(
            dir.resolve("floor.bin"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
  }

  /** A 3-step run on the file store, start to result. */
  @Benchmark
  public WorkflowResult opsflowFile() {
    return engine.run(three, Map.of(), RunOptions.defaults());
  }

  /** The floor: three appends of a third of a run's bytes, each followed by fsync. */
  @Benchmark
  public long floor() throws IOException {
    for (int i = 0; i < 3; i++) {
      ByteBuffer buf = ByteBuffer.wrap(floorWrite);
      while (buf.hasRemaining()) {
        floorAt += floor.write(buf, floorAt);
      }
      floor.force(true);
    }
    return floorAt;
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    engine.close();
    floor.close();
    BenchFiles.deleteTree(dir);
  }
}
