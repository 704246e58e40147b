package dev.opsflow.workflow.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * The file format of {@link FileExecutionStore}: a one-line text header, then the payload.
 *
 * <pre>
 * OPSFLOW &lt;kind&gt; 1 &lt;version&gt; &lt;payload length&gt; &lt;CRC-32C of the payload, hex&gt;\n
 * &lt;payload bytes&gt;
 * </pre>
 *
 * A file whose header does not parse, whose length differs or whose checksum does not match is
 * {@linkplain Corrupt corrupt}: it is never read as a valid state. Files are replaced atomically
 * ({@link #replace}): temp file, fsync, rename, fsync of the directory.
 */
final class ChecksummedFile {
  static final String MAGIC = "OPSFLOW";
  static final int FORMAT = 1;
  private static final int MAX_HEADER = 200;

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
    byte[] header = (MAGIC + " " + kind + " " + FORMAT + " " + version + " " + payload.length
        + " " + Long.toHexString(crc.getValue()) + "\n").getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[header.length + payload.length];
    System.arraycopy(header, 0, out, 0, header.length);
    System.arraycopy(payload, 0, out, header.length, payload.length);
    return out;
  }

  /** Checks and splits the bytes of a file of {@code kind}. */
  static Content decode(String kind, byte[] bytes) throws Corrupt {
    int newline = -1;
    for (int i = 0; i < Math.min(bytes.length, MAX_HEADER); i++) {
      if (bytes[i] == '\n') {
        newline = i;
        break;
      }
    }
    if (newline < 0) {
      throw new Corrupt(bytes.length == 0 ? "the file is empty"
          : "not an Opsflow " + kind + " file (no header line)");
    }
    String[] h = new String(bytes, 0, newline, StandardCharsets.US_ASCII).split(" ");
    if (h.length != 6 || !MAGIC.equals(h[0]) || !kind.equals(h[1])) {
      throw new Corrupt("not an Opsflow " + kind + " file (bad header)");
    }
    try {
      if (Integer.parseInt(h[2]) != FORMAT) {
        throw new Corrupt("format " + h[2] + " is not supported (this version reads " + FORMAT
            + ")");
      }
      long version = Long.parseLong(h[3]);
      int length = Integer.parseInt(h[4]);
      long expected = Long.parseUnsignedLong(h[5], 16);
      int actual = bytes.length - newline - 1;
      if (actual != length) {
        throw new Corrupt("truncated or torn: header says " + length + " payload bytes, found "
            + actual);
      }
      var crc = new CRC32C();
      crc.update(bytes, newline + 1, length);
      if (crc.getValue() != expected) {
        throw new Corrupt("checksum mismatch (CRC-32C " + Long.toHexString(crc.getValue())
            + ", header says " + h[5] + ")");
      }
      byte[] payload = new byte[length];
      System.arraycopy(bytes, newline + 1, payload, 0, length);
      return new Content(version, payload);
    } catch (NumberFormatException e) {
      throw new Corrupt("not an Opsflow " + kind + " file (bad number in header)");
    }
  }

  /**
   * Replaces {@code dir/name} with {@code bytes} atomically and durably: a reader sees the old or
   * the new file, never a mix, and after return the new one survives a crash.
   */
  static void replace(Path dir, String name, byte[] bytes) throws IOException {
    Path tmp = dir.resolve("." + name + "." + UUID.randomUUID() + ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        var buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    syncDirectory(dir);
  }

  /** Deletes {@code file} durably (no-op if absent). */
  static void delete(Path file) throws IOException {
    if (Files.deleteIfExists(file)) {
      syncDirectory(file.getParent());
    }
  }

  /** Makes the directory's entries (renames, deletions) durable. */
  static void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
