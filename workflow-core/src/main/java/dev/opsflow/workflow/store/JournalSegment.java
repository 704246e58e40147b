package dev.opsflow.workflow.store;

import dev.opsflow.workflow.spi.StoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;

/**
 * One segment of a {@link Journal}: a file {@code journal/<process id>-<seq>.log} of a fixed size,
 * zero-filled and synced when it is made (so that an append overwrites in place and its {@code
 * fdatasync} commits no change of size), holding a header record (boot id and process id) and then
 * one record per run-file frame. Each record is a header line in the {@link ChecksummedFile} style,
 * {@code OPSFLOW journal 1 <seq> <payload length> <CRC-32C>}, and a binary payload: {@code 'R'},
 * the frame's offset in its run file (8 bytes), the run id's length (4 bytes) and UTF-8 bytes, and
 * the frame's bytes. A reader stops at the first record that is not whole, has another seq (a stale
 * record of a recycled file) or fails its CRC.
 *
 * <p>Group commit, leader and follower: a committer whose record is not synced yet becomes the
 * leader when no sync is running: it takes what is written so far as its target, syncs outside the
 * monitor, publishes the synced end and wakes the others; otherwise it waits for the running sync
 * and checks again. A lone committer so syncs on its own thread, with no hand-off. A failed sync
 * poisons the segment: nothing past what was synced before is ever acknowledged (a failed {@code
 * fsync} is never retried as if the data were safe), and the journal moves to a new segment.
 */
final class JournalSegment {
  static final String KIND = "journal";
  static final byte RECORD = 'R';
  static final byte HEADER = 'H';

  final long seq;
  final Path file;
  final FileChannel channel;
  final long size;
  private final long headerEnd;

  /** The end of the records written (whole) so far; changed under the journal's lock. */
  private volatile long written;

  /** The run ids whose files this segment's records were appended to, for its checkpoint. */
  final Set<String> runIds = ConcurrentHashMap.newKeySet();

  /**
   * The directories to sync before the segment's first sync, and through what; null once done (or
   * when the segment was synced as it was made). Read and cleared by the sync's leader only.
   */
  private volatile List<Path> dirsBeforeFirstSync;

  private final FileSyncs dirSyncs;

  // Group commit state, guarded by this.
  private long synced;
  private boolean syncing;
  private IOException failed;

  private JournalSegment(
      long seq,
      Path file,
      FileChannel channel,
      long size,
      long written,
      List<Path> dirsBeforeFirstSync,
      FileSyncs dirSyncs) {
    this.dirsBeforeFirstSync = dirsBeforeFirstSync;
    this.dirSyncs = dirSyncs;
    this.seq = seq;
    this.file = file;
    this.channel = channel;
    this.size = size;
    this.written = written;
    this.headerEnd = written;
    this.synced = written;
  }

  /** {@code <process id>-<seq, 20 digits>.log}. */
  static String fileName(String processId, long seq) {
    // Not String.format: its Formatter loads the locale data, tens of ms of a JVM's start-up.
    String digits = Long.toString(seq);
    // Nor +: each shape of + costs a JVM's start-up classes of its own.
    return new StringBuilder(processId.length() + 25)
        .append(processId)
        .append('-')
        .append("0".repeat(Math.max(0, 20 - digits.length())))
        .append(digits)
        .append(".log")
        .toString();
  }

  /**
   * Makes segment {@code seq} of {@code processId} in {@code journalDir}: its header record, zeros
   * up to {@code size}, synced ({@code fdatasync}) and its directory entry synced, so that the
   * records appended later change neither its size nor its directory.
   */
  static JournalSegment make(
      Path journalDir, String processId, long seq, long size, String bootId, FileSyncs syncs)
      throws IOException {
    return make(journalDir, processId, seq, size, bootId, syncs, null);
  }

  /**
   * {@link #make(Path, String, long, long, String, FileSyncs)}, but with {@code dirsFirst} non-null
   * nothing is synced now: the first sync of the segment (its first synced commit's, or its
   * checkpoint's) syncs {@code dirsFirst} and then the segment's directory, through {@code syncs},
   * before its own {@code fdatasync}, which also makes the zeros durable. So the first commit of a
   * JVM waits for no sync before it is acknowledged, and no record is durable before the entries of
   * the segment (and of those directories) are.
   */
  static JournalSegment make(
      Path journalDir,
      String processId,
      long seq,
      long size,
      String bootId,
      FileSyncs syncs,
      List<Path> dirsFirst)
      throws IOException {
    Path file = journalDir.resolve(fileName(processId, seq));
    byte[] header =
        record(
            seq,
            HEADER,
            bootId.concat("\n").concat(processId).getBytes(StandardCharsets.UTF_8),
            null,
            0,
            0);
    FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ);
    try {
      writeFully(ch, ByteBuffer.wrap(header), 0);
      ByteBuffer zeros = ByteBuffer.allocate(256 * 1024);
      for (long at = header.length; at < size; ) {
        zeros.clear().limit((int) Math.min(zeros.capacity(), size - at));
        at += ch.write(zeros, at);
      }
      if (dirsFirst == null) {
        syncs.file(ch, false);
        syncs.directory(journalDir);
      }
    } catch (IOException | RuntimeException e) {
      ch.close();
      Files.deleteIfExists(file);
      throw e;
    }
    List<Path> dirs = null;
    if (dirsFirst != null) {
      dirs = new ArrayList<>(dirsFirst);
      dirs.add(journalDir);
    }
    return new JournalSegment(
        seq, file, ch, Math.max(size, header.length), header.length, dirs, syncs);
  }

  /**
   * The bytes of a record of segment {@code seq}: the header line, then {@code type} and {@code
   * body}, then, for a run frame, {@code frame[from, from + length)}.
   */
  static byte[] record(long seq, byte type, byte[] body, byte[] frame, int from, int length) {
    byte[] a = new byte[room(body, length)];
    int at = recordInto(a, seq, type, body, frame, from, length);
    return at == 0 ? a : java.util.Arrays.copyOfRange(a, at, a.length);
  }

  private static final byte[] HEADER_START = ChecksummedFile.headerStart(KIND);

  /** Room for a header line: its start, two numbers, a CRC and 3 separators. */
  private static final int HEADER_ROOM = HEADER_START.length + 20 + 11 + 16 + 3;

  /** {@return the bytes {@link #recordInto} needs for a record of {@code body} and a frame} */
  static int room(byte[] body, int frameLength) {
    return HEADER_ROOM + 1 + body.length + frameLength;
  }

  /**
   * Puts the record {@link #record} makes into {@code a} (at least {@link #room} bytes, reused
   * record after record by the journal: no allocation and no copy on a commit's path); it is {@code
   * a[returned, room)}.
   */
  static int recordInto(
      byte[] a, long seq, byte type, byte[] body, byte[] frame, int from, int length) {
    int payloadLength = 1 + body.length + length;
    a[HEADER_ROOM] = type;
    System.arraycopy(body, 0, a, HEADER_ROOM + 1, body.length);
    if (length > 0) {
      System.arraycopy(frame, from, a, HEADER_ROOM + 1 + body.length, length);
    }
    var crc = new CRC32C();
    crc.update(a, HEADER_ROOM, payloadLength);
    return ChecksummedFile.putHeader(
        a, HEADER_ROOM, HEADER_START, seq, payloadLength, crc.getValue());
  }

  /** The body of a run-frame record: the frame's offset in its run file and the run id. */
  static byte[] frameBody(String runId, long offset) {
    byte[] id = runId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + 4 + id.length).putLong(offset).putInt(id.length).put(id).array();
  }

  /** Whether a record of {@code length} bytes fits in what is left of the preallocated size. */
  boolean fits(int length) {
    return written + length <= size;
  }

  /** Whether only the header record is written. */
  boolean empty() {
    return written == headerEnd;
  }

  /** {@return the end of the records written so far} */
  long written() {
    return written;
  }

  /**
   * Writes {@code record} at the end; returns its end. Call holding the journal's lock (one writer
   * at a time, in order: the synced end then covers every record before it).
   */
  long append(byte[] record) throws IOException {
    return append(record, 0, record.length);
  }

  /** {@link #append(byte[])} of {@code a[from, from + length)}. */
  long append(byte[] a, int from, int length) throws IOException {
    long at = written;
    writeFully(channel, ByteBuffer.wrap(a, from, length), at);
    written = at + length;
    return written;
  }

  private static void writeFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    long at = position;
    while (buf.hasRemaining()) {
      at += ch.write(buf, at);
    }
  }

  /**
   * Returns once the segment is synced at least up to {@code end}, syncing it through {@code syncs}
   * as the leader when no sync is running. Throws a {@link StoreException} naming the file when the
   * sync that should have covered {@code end} failed (then, or before); {@code onFailure} runs
   * once, on the leader whose sync failed, before any waiter is told.
   */
  void awaitSynced(long end, FileSyncs syncs, Runnable onFailure) {
    long target;
    boolean interrupted = false;
    try {
      synchronized (this) {
        while (true) {
          if (synced >= end) {
            return;
          }
          if (failed != null) {
            throw failure(failed);
          }
          if (!syncing) {
            syncing = true;
            target = written;
            break;
          }
          try {
            wait();
          } catch (InterruptedException e) {
            // The commit's record is written: it must learn whether it is durable. The interrupt
            // is kept for the caller.
            interrupted = true;
          }
        }
      }
      IOException error = null;
      // A pending interrupt would close the segment's channel, shared by every commit: it is kept
      // for the caller instead. One arriving during the sync still closes it (a failed sync).
      interrupted |= Thread.interrupted();
      try {
        List<Path> dirs = dirsBeforeFirstSync;
        if (dirs != null) {
          for (Path d : dirs) {
            dirSyncs.directory(d);
          }
          dirsBeforeFirstSync = null;
        }
        syncs.file(channel, false);
      } catch (IOException e) {
        error = e;
      } catch (RuntimeException | Error e) {
        error = new IOException(e.toString(), e);
      }
      if (error != null) {
        onFailure.run();
      }
      synchronized (this) {
        syncing = false;
        if (error == null) {
          synced = Math.max(synced, target);
        } else if (failed == null) {
          failed = error;
        }
        notifyAll();
        if (synced < end) {
          throw failure(failed);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Marks the segment failed (a write to it failed): it is never acknowledged past its sync. */
  synchronized void fail(IOException cause) {
    if (failed == null) {
      failed = cause;
    }
    notifyAll();
  }

  /** Whether a sync of this segment failed (it takes no more records). */
  synchronized boolean failed() {
    return failed != null;
  }

  private StoreException failure(IOException cause) {
    return new StoreException(
        "the store's journal "
            + file
            + " could not be synced ("
            + FileRecords.describe(cause)
            + "); this commit is not durable and was not acknowledged; later commits go to a new"
            + " journal segment",
        cause);
  }

  /** Closes the file (its records stay on disk until checkpointed). */
  void close() {
    RunTails.closeQuietly(channel);
  }
}
