package dev.opsflow.workflow.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * The file format of {@link FileExecutionStore}: a file is a sequence of frames, each a one-line
 * text header and a payload.
 *
 * <pre>
 * OPSFLOW &lt;kind&gt; 1 &lt;version&gt; &lt;payload length&gt; &lt;CRC-32C of the payload, hex&gt;\n
 * &lt;payload bytes&gt;
 * </pre>
 *
 * A run file is created in place holding its first frame ({@link #createUnsynced}); each commit
 * appends one frame ({@link #append}), made durable by the store's {@link Journal}. A key file is
 * written atomically ({@link #replace}: temp file, fsync, rename, fsync of the directory). The last
 * complete frame is the file's state. A frame whose header does not parse, whose length runs past
 * the end or whose checksum does not match is never read: as the last frame it is the torn tail of
 * a commit a crash interrupted (that commit never returned, so the state before it is the committed
 * one); anywhere else, or as the first frame, the file is {@linkplain Corrupt corrupt}.
 */
final class ChecksummedFile {
  static final String MAGIC = "OPSFLOW";
  static final int FORMAT = 1;
  private static final int MAX_HEADER = 200;

  /** Payloads are JSON lines (no raw newline inside): a frame header only follows a newline. */
  private static final byte[] NEXT_FRAME = ("\n" + MAGIC + " ").getBytes(StandardCharsets.US_ASCII);

  private ChecksummedFile() {}

  /** A file's version (from its header) and payload. */
  record Content(long version, byte[] payload) {}

  /** A file that is torn, truncated or not ours; the message says why. */
  static final class Corrupt extends Exception {
    private static final long serialVersionUID = 1L;

    Corrupt(String reason) {
      super(reason, null, false, false);
    }
  }

  /** The bytes of a file of {@code kind} with {@code version} and {@code payload}. */
  static byte[] encode(String kind, long version, byte[] payload) {
    var crc = new CRC32C();
    crc.update(payload);
    byte[] header = header(kind, version, payload.length, crc.getValue());
    byte[] out = new byte[header.length + payload.length];
    System.arraycopy(header, 0, out, 0, header.length);
    System.arraycopy(payload, 0, out, header.length, payload.length);
    return out;
  }

  /** The header line of a frame of {@code kind} whose payload has this length and CRC-32C. */
  static byte[] header(String kind, long version, int payloadLength, long crc32c) {
    return (MAGIC
            + " "
            + kind
            + " "
            + FORMAT
            + " "
            + version
            + " "
            + payloadLength
            + " "
            + Long.toHexString(crc32c)
            + "\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** The constant start of a frame header of {@code kind}: {@code "OPSFLOW <kind> 1 "}. */
  static byte[] headerStart(String kind) {
    // Not +: each shape of + costs a JVM's start-up classes of its own.
    return new StringBuilder()
        .append(MAGIC)
        .append(' ')
        .append(kind)
        .append(' ')
        .append(FORMAT)
        .append(' ')
        .toString()
        .getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Writes the header line ({@link #header}, of the kind of {@code start}, from {@link
   * #headerStart}) into {@code a} so that it ends at {@code end}, where the payload begins; returns
   * where it starts. The caller leaves room for it (at most {@code start.length + 19 + 10 + 16 + 3}
   * bytes).
   */
  static int putHeader(
      byte[] a, int end, byte[] start, long version, int payloadLength, long crc32c) {
    int at = end;
    a[--at] = '\n';
    long crc = crc32c;
    do {
      a[--at] = (byte) Character.forDigit((int) (crc & 0xf), 16);
      crc >>>= 4;
    } while (crc != 0);
    a[--at] = ' ';
    at = putDecimal(a, at, payloadLength);
    a[--at] = ' ';
    at = putDecimal(a, at, version);
    at -= start.length;
    System.arraycopy(start, 0, a, at, start.length);
    return at;
  }

  /** Writes {@code value} in decimal so that it ends before {@code end}; returns its start. */
  private static int putDecimal(byte[] a, int end, long value) {
    if (value < 0) {
      byte[] text = Long.toString(value).getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(text, 0, a, end - text.length, text.length);
      return end - text.length;
    }
    int at = end;
    long v = value;
    do {
      a[--at] = (byte) ('0' + (int) (v % 10));
      v /= 10;
    } while (v != 0);
    return at;
  }

  /** One checked frame: its version and where its payload lies in the file's bytes. */
  record Frame(long version, int payloadStart, int payloadLength) {}

  /**
   * The checked frames of a file, and the torn tail after them, if any.
   *
   * @param validLength the bytes up to the end of the last complete frame
   * @param tornBytes the bytes after it (0 when the file ends with a complete frame)
   */
  record Log(List<Frame> frames, int validLength, int tornBytes, String tornReason) {
    Frame last() {
      return frames.get(frames.size() - 1);
    }
  }

  /** Checks a file that holds exactly one frame (no torn tail). */
  static Content decode(String kind, byte[] bytes) throws Corrupt {
    Log log = parse(kind, bytes);
    if (log.frames().size() != 1 || log.tornBytes() > 0) {
      throw new Corrupt(log.tornBytes() > 0 ? log.tornReason() : "more than one frame");
    }
    Frame f = log.last();
    return new Content(
        f.version(),
        Arrays.copyOfRange(bytes, f.payloadStart(), f.payloadStart() + f.payloadLength()));
  }

  /** Checks the frames of a file of {@code kind}. */
  static Log parse(String kind, byte[] bytes) throws Corrupt {
    if (bytes.length == 0) {
      throw new Corrupt("the file is empty");
    }
    var frames = new ArrayList<Frame>();
    int at = 0;
    while (at < bytes.length) {
      try {
        Frame f = frameAt(kind, bytes, at);
        frames.add(f);
        at = f.payloadStart() + f.payloadLength();
      } catch (Corrupt e) {
        if (frames.isEmpty()) {
          throw e;
        }
        if (indexOf(bytes, NEXT_FRAME, at) >= 0) {
          throw new Corrupt(
              "damaged frame at byte " + at + " with frames after it (" + e.getMessage() + ")");
        }
        return new Log(frames, at, bytes.length - at, e.getMessage());
      }
    }
    return new Log(frames, at, 0, null);
  }

  /** The checked frame of {@code kind} starting at byte {@code at}; Corrupt if it is not whole. */
  static Frame frameAt(String kind, byte[] bytes, int at) throws Corrupt {
    int newline = -1;
    for (int i = at; i < Math.min(bytes.length, at + MAX_HEADER); i++) {
      if (bytes[i] == '\n') {
        newline = i;
        break;
      }
    }
    if (newline < 0) {
      throw new Corrupt("not an Opsflow " + kind + " file (no header line)");
    }
    String[] h = new String(bytes, at, newline - at, StandardCharsets.US_ASCII).split(" ");
    if (h.length != 6 || !MAGIC.equals(h[0]) || !kind.equals(h[1])) {
      throw new Corrupt("not an Opsflow " + kind + " file (bad header)");
    }
    try {
      if (Integer.parseInt(h[2]) != FORMAT) {
        throw new Corrupt(
            "format " + h[2] + " is not supported (this version reads " + FORMAT + ")");
      }
      long version = Long.parseLong(h[3]);
      int length = Integer.parseInt(h[4]);
      long expected = Long.parseUnsignedLong(h[5], 16);
      int present = bytes.length - newline - 1;
      if (length < 0 || present < length) {
        throw new Corrupt(
            "truncated or torn: the frame says " + length + " payload bytes, found " + present);
      }
      var crc = new CRC32C();
      crc.update(bytes, newline + 1, length);
      if (crc.getValue() != expected) {
        throw new Corrupt(
            "checksum mismatch (CRC-32C "
                + Long.toHexString(crc.getValue())
                + ", header says "
                + h[5]
                + ")");
      }
      return new Frame(version, newline + 1, length);
    } catch (NumberFormatException e) {
      throw new Corrupt("not an Opsflow " + kind + " file (bad number in header)");
    }
  }

  private static int indexOf(byte[] bytes, byte[] what, int from) {
    outer:
    for (int i = from; i <= bytes.length - what.length; i++) {
      for (int j = 0; j < what.length; j++) {
        if (bytes[i + j] != what[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /**
   * Appends {@code frame} through {@code ch} at {@code position}, cutting whatever follows it in a
   * file of {@code size} bytes (the torn tail of an interrupted commit), and syncs it (fdatasync)
   * through {@code syncs}, unless {@code syncs} is null: then the frame is in the OS's cache only
   * (it survives this process, not a crash of the machine), and the file's next sync makes it
   * durable with the frames after it. The directory entry exists already: no directory fsync is
   * needed.
   */
  static void append(FileChannel ch, long position, long size, ByteBuffer frame, FileSyncs syncs)
      throws IOException {
    if (size != position) {
      ch.truncate(position);
    }
    ByteBuffer buf = frame;
    long at = position;
    while (buf.hasRemaining()) {
      at += ch.write(buf, at);
    }
    if (syncs != null) {
      // fdatasync: flushes the data and the new file size (needed to read it back), not the
      // times: what PostgreSQL does for its WAL on Linux.
      syncs.file(ch, false);
    }
  }

  /**
   * Creates {@code file} (it must not exist) holding {@code frame}, without syncing it, and returns
   * the channel open for writing. Its first sync (an append's) makes the file and its directory
   * entry durable: on Linux's journaling file systems (ext4, XFS, btrfs) the sync of a new file
   * commits its creation with it. Call holding the run's lock, which readers take before they call
   * a file with no complete frame corrupt.
   *
   * @throws java.nio.file.FileAlreadyExistsException if it exists
   */
  static FileChannel createUnsynced(Path file, ByteBuffer frame) throws IOException {
    return writeFirst(
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        file,
        frame);
  }

  /**
   * Writes {@code frame} at offset 0 of {@code file}, new and empty (just created, or a spare
   * renamed to its name), through {@code ch}, without syncing it, and returns {@code ch}; on
   * failure closes it and deletes the file. Call holding the run's lock, as for {@link
   * #createUnsynced}.
   */
  static FileChannel writeFirst(FileChannel ch, Path file, ByteBuffer frame) throws IOException {
    try {
      long at = 0;
      while (frame.hasRemaining()) {
        at += ch.write(frame, at);
      }
      return ch;
    } catch (IOException | RuntimeException e) {
      ch.close();
      Files.deleteIfExists(file);
      throw e;
    }
  }

  /** The subdirectory of a store's temp files, so that open need not list the whole store. */
  static final String TEMP_DIR = ".tmp";

  /** Not a lambda: a JVM's start-up spins a class for each lambda, and open lists {@code .tmp/}. */
  private static final DirectoryStream.Filter<Path> TEMP_FILES =
      new DirectoryStream.Filter<>() {
        @Override
        public boolean accept(Path t) {
          return t.getFileName().toString().endsWith(".tmp");
        }
      };

  /**
   * Removes the temp files of writes a crash interrupted, in {@code dir/.tmp/} (made if missing):
   * as many as crashes left, not as many as runs stored. Here, not in {@link FileRecords}: opening
   * a store then loads no JSON classes (see {@code FileExecutionStore.open}). Call holding the
   * directory lock.
   */
  static void removeTempFiles(Path dir) throws IOException {
    Path temps = Files.createDirectories(dir.resolve(TEMP_DIR));
    // A filter, not a glob: a glob compiles a regex (classes a JVM's start-up need not load).
    try (var left = Files.newDirectoryStream(temps, TEMP_FILES)) {
      for (Path t : left) {
        Files.deleteIfExists(t);
      }
    }
  }

  /**
   * Replaces {@code dir/name} with {@code bytes} atomically and durably: a reader sees the old or
   * the new file, never a mix, and after return the new one survives a crash. The bytes are written
   * and synced in {@code dir/.tmp/} (created if missing), then renamed into place, and {@code dir}
   * is synced (the new entry; the temp entry's removal need not be durable).
   */
  static void replace(Path dir, String name, byte[] bytes) throws IOException {
    replace(dir, name, bytes, FileSyncs.OS);
  }

  /** {@link #replace(Path, String, byte[])}, syncing through {@code syncs}. */
  static void replace(Path dir, String name, byte[] bytes, FileSyncs syncs) throws IOException {
    replace(dir, name, bytes, syncs, null);
  }

  /**
   * {@link #replace(Path, String, byte[], FileSyncs)}, the temp file a spare of {@code spares} when
   * one is ready (no inode made on the caller's path), else created.
   */
  static void replace(Path dir, String name, byte[] bytes, FileSyncs syncs, SpareFiles spares)
      throws IOException {
    Path temps = dir.resolve(TEMP_DIR);
    Path tmp = temps.resolve(name + "." + UUID.randomUUID() + ".tmp");
    try {
      FileChannel spare = spares == null ? null : spares.take(tmp);
      try (FileChannel ch = spare != null ? spare : createTemp(temps, tmp)) {
        var buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        syncs.file(ch, true);
      }
      Files.move(
          tmp,
          dir.resolve(name),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    syncs.directory(dir);
  }

  private static FileChannel createTemp(Path temps, Path tmp) throws IOException {
    try {
      return FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    } catch (NoSuchFileException e) {
      // Made at open; removed by hand since.
      Files.createDirectories(temps);
      return FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }
  }

  /** Deletes {@code file} durably (no-op if absent). */
  static void delete(Path file) throws IOException {
    if (Files.deleteIfExists(file)) {
      syncDirectory(file.getParent());
    }
  }

  /** Makes the directory's entries (renames, deletions) durable. */
  static void syncDirectory(Path dir) throws IOException {
    FileSyncs.OS.directory(dir);
  }
}
