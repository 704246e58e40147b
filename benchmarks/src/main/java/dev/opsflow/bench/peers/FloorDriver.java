package dev.opsflow.bench.peers;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The floor of {@link PeerComparison}: a "3-step workflow" is three appends of 1 KB to one file,
 * each followed by {@code fsync}, the least a durable 3-step run can cost on this disk. Its
 * throughput is 5 such appends per run, one after the other.
 */
public final class FloorDriver implements DriverMain.System {
  private FileChannel ch;
  private Path file;
  private final ByteBuffer kb = ByteBuffer.allocate(1024);

  public static void main(String[] args) throws Exception {
    DriverMain.run(new FloorDriver(), args);
  }

  @Override
  public void setUp() throws Exception {
    Path dir =
        Path.of(
            java.lang.System.getProperty(
                "opsflow.bench.dir", java.lang.System.getProperty("java.io.tmpdir")));
    file = Files.createTempFile(dir, "floor", ".bin");
    ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }

  private void append() throws Exception {
    kb.clear();
    while (kb.hasRemaining()) {
      ch.write(kb);
    }
    ch.force(true);
  }

  @Override
  public void roundTrip(Runnable firstStep) throws Exception {
    for (int i = 0; i < 3; i++) {
      if (i == 0) {
        firstStep.run();
      }
      append();
    }
  }

  @Override
  public void throughput(int n) throws Exception {
    for (int i = 0; i < n * 5; i++) {
      append();
    }
  }

  @Override
  public void tearDown() throws Exception {
    ch.close();
    Files.deleteIfExists(file);
  }
}
