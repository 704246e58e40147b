package dev.opsflow.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;

/**
 * Whether the file store's journal gains by zero-filling its segments ahead: one record (3 KB, a
 * step commit's frame and its record header) written and {@code fdatasync}ed in a file made ahead
 * (zero-filled to 16 MiB and synced: the write overwrites in place, the sync commits no new size),
 * against the same record appended to a growing file and synced (each sync also commits the new
 * size, a journal transaction of the file system's), interleaved pair by pair, the order swapped
 * every pair, so both see the same disk. Prints the minimum, median, 90th and 99th percentiles.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.opsflow.bench.JournalAppendComparison 3000
 * </pre>
 */
public final class JournalAppendComparison {
  private static final int RECORD = 3 * 1024;
  private static final long SEGMENT = 16L * 1024 * 1024;

  private JournalAppendComparison() {}

  /** Argument: the measured pairs (default 3000); a fifth as many unmeasured first. */
  public static void main(String[] args) throws Exception {
    int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
    int warmup = Math.max(200, pairs / 5);
    Path base =
        Path.of(System.getProperty("opsflow.bench.dir", System.getProperty("java.io.tmpdir")));
    Path dir = Files.createTempDirectory(base, "opsflow-journal-append-");
    Path made = dir.resolve("made-ahead.log");
    Path growing = dir.resolve("growing.log");
    byte[] record = new byte[RECORD];
    Arrays.fill(record, (byte) 'x');
    long[] ahead = new long[pairs];
    long[] grown = new long[pairs];
    try (FileChannel a = zeroFilled(made);
        FileChannel g =
            FileChannel.open(growing, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      long atA = 0;
      long atG = 0;
      for (int i = -warmup; i < pairs; i++) {
        if (atA + RECORD > SEGMENT) {
          atA = 0; // Overwrite again: still in place, still no new size.
        }
        if (atG + RECORD > SEGMENT) {
          g.truncate(0);
          g.force(true);
          atG = 0;
        }
        long tA;
        long tG;
        if ((i & 1) == 0) {
          tA = timed(a, record, atA);
          tG = timed(g, record, atG);
        } else {
          tG = timed(g, record, atG);
          tA = timed(a, record, atA);
        }
        atA += RECORD;
        atG += RECORD;
        if (i >= 0) {
          ahead[i] = tA;
          grown[i] = tG;
        }
      }
    } finally {
      Files.deleteIfExists(made);
      Files.deleteIfExists(growing);
      Files.deleteIfExists(dir);
    }
    Arrays.sort(ahead);
    Arrays.sort(grown);
    print("made ahead, overwrite + fdatasync:", ahead);
    print("growing file, append + fdatasync: ", grown);
    System.out.printf(
        Locale.ROOT,
        "ratio growing / made ahead: medians %.2f, minimums %.2f, p90 %.2f (%d pairs)%n",
        (double) at(grown, 0.5) / at(ahead, 0.5),
        (double) grown[0] / ahead[0],
        (double) at(grown, 0.9) / at(ahead, 0.9),
        pairs);
  }

  private static FileChannel zeroFilled(Path file) throws IOException {
    FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    ByteBuffer zeros = ByteBuffer.allocate(256 * 1024);
    for (long at = 0; at < SEGMENT; ) {
      zeros.clear();
      at += ch.write(zeros, at);
    }
    ch.force(true);
    return ch;
  }

  private static long timed(FileChannel ch, byte[] record, long at) throws IOException {
    long t0 = System.nanoTime();
    ByteBuffer buf = ByteBuffer.wrap(record);
    long pos = at;
    while (buf.hasRemaining()) {
      pos += ch.write(buf, pos);
    }
    ch.force(false);
    return System.nanoTime() - t0;
  }

  private static void print(String what, long[] sorted) {
    System.out.printf(
        Locale.ROOT,
        "%s min %s, median %s, p90 %s, p99 %s%n",
        what,
        us(sorted[0]),
        us(at(sorted, 0.5)),
        us(at(sorted, 0.9)),
        us(at(sorted, 0.99)));
  }

  private static long at(long[] sorted, double q) {
    return sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))];
  }

  private static String us(long nanos) {
    return String.format(Locale.ROOT, "%.0f µs", nanos / 1000.0);
  }
}
