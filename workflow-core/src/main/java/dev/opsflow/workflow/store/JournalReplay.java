package dev.opsflow.workflow.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes the journals of dead processes in a {@link FileExecutionStore} directory (a process is
 * dead when its {@code owners/<process id>.alive} file is unlocked or absent, see {@link
 * LiveOwners}). A segment written in this boot (its boot id is this machine's) needs no rewrite:
 * the page cache holds every write of its run files, so they are synced and the segment deleted. A
 * segment of another boot (a power cut, or a boot id that cannot be read) is replayed, record by
 * record in order: a run file that holds the frame's exact bytes at its offset is left alone;
 * otherwise the frame is written there and the file cut after it (later bytes were never
 * acknowledged); a missing run file is recreated only for a frame at offset 0 (a file created in
 * place and lost with the power cut), else it was deleted on purpose (retention) and is skipped.
 * Call holding the directory lock.
 */
final class JournalReplay {
  private static final Logger LOG = LoggerFactory.getLogger(JournalReplay.class);

  private JournalReplay() {}

  /** A record of a run-file frame read back from a segment. */
  record Entry(String runId, long offset, byte[] frame) {}

  /** A segment read back: its boot id ("" if unknown) and its whole records, in order. */
  record Segment(Path file, String bootId, List<Entry> entries) {}

  /** Whether {@code dir} holds a journal of a process that is dead (cheap: one listing). */
  static boolean deadJournals(Path dir) throws IOException {
    return !dead(dir).isEmpty();
  }

  /**
   * Replays or checkpoints every dead process's journal in {@code dir}, then deletes it; returns
   * the number of segments finished. Call holding the directory lock; {@code lock} gives each run's
   * lock while its file is rewritten; the run files are synced on {@code journal}'s threads (this
   * JVM's journal on {@code dir}).
   */
  static int replayDead(Path dir, DirectoryLock lock, FileSyncs syncs, Journal journal)
      throws IOException {
    TreeMap<String, List<Path>> dead = dead(dir);
    int done = 0;
    String boot = Journal.bootId();
    for (List<Path> segments : dead.values()) {
      Set<String> written = new LinkedHashSet<>();
      Set<String> named = new LinkedHashSet<>();
      for (Path file : segments) {
        Segment seg = read(file);
        boolean sameBoot = !boot.isEmpty() && boot.equals(seg.bootId());
        for (Entry e : seg.entries()) {
          if (sameBoot) {
            named.add(e.runId());
          } else if (apply(dir, lock, e)) {
            written.add(e.runId());
          }
        }
        if (!sameBoot && !seg.entries().isEmpty()) {
          LOG.info(
              "journal segment {} of another boot replayed: {} records",
              file,
              seg.entries().size());
        }
      }
      named.addAll(written);
      journal.syncRunFiles(named, syncs);
      syncs.directory(dir);
      for (Path file : segments) {
        Files.deleteIfExists(file);
        done++;
      }
    }
    return done;
  }

  /** The dead processes' segments, by process id, each list in seq order. */
  private static TreeMap<String, List<Path>> dead(Path dir) throws IOException {
    var out = new TreeMap<String, List<Path>>();
    Path journalDir = dir.resolve(Journal.DIR);
    if (!Files.isDirectory(journalDir)) {
      return out;
    }
    // No lambdas here: every open lists journal/, and a JVM's start-up spins a class for each
    // lambda; the directory holds no segment at all after a clean close.
    try (DirectoryStream<Path> files = Files.newDirectoryStream(journalDir)) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        int dash = name.indexOf('-');
        if (!name.endsWith(".log") || dash <= 0) {
          continue;
        }
        String pid = name.substring(0, dash);
        List<Path> segments = out.get(pid);
        if (segments == null) {
          segments = new ArrayList<>();
          out.put(pid, segments);
        }
        segments.add(f);
      }
    }
    var live = new ArrayList<String>();
    for (String pid : out.keySet()) {
      if (LiveOwners.process(dir, pid) != LiveOwners.Liveness.DEAD) {
        live.add(pid);
      }
    }
    out.keySet().removeAll(live);
    // The seq is zero-padded: names sort in seq order.
    for (List<Path> segments : out.values()) {
      segments.sort(null);
    }
    return out;
  }

  /**
   * A segment's header and whole records: it stops at the first record that does not parse, is of
   * another seq (a stale record of a reused file) or fails its CRC: the tail, never acknowledged.
   */
  static Segment read(Path file) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return new Segment(file, "", List.of());
    }
    String name = file.getFileName().toString();
    long seq;
    try {
      seq = Long.parseLong(name.substring(name.indexOf('-') + 1, name.length() - ".log".length()));
    } catch (NumberFormatException e) {
      return new Segment(file, "", List.of());
    }
    String boot = "";
    var entries = new ArrayList<Entry>();
    int at = 0;
    while (at < bytes.length) {
      ChecksummedFile.Frame f;
      try {
        f = ChecksummedFile.frameAt(JournalSegment.KIND, bytes, at);
      } catch (ChecksummedFile.Corrupt e) {
        break;
      }
      if (f.version() != seq || f.payloadLength() < 1) {
        break;
      }
      ByteBuffer p = ByteBuffer.wrap(bytes, f.payloadStart(), f.payloadLength());
      byte type = p.get();
      if (at == 0 && type == JournalSegment.HEADER) {
        String header = new String(bytes, p.position(), p.remaining(), StandardCharsets.UTF_8);
        boot = header.lines().findFirst().orElse("");
      } else if (type == JournalSegment.RECORD && p.remaining() >= 12) {
        long offset = p.getLong();
        int idLength = p.getInt();
        if (idLength < 0 || idLength > p.remaining() || offset < 0) {
          break;
        }
        String runId = new String(bytes, p.position(), idLength, StandardCharsets.UTF_8);
        int frameStart = p.position() + idLength;
        byte[] frame = Arrays.copyOfRange(bytes, frameStart, f.payloadStart() + f.payloadLength());
        entries.add(new Entry(runId, offset, frame));
      } else {
        break;
      }
      at = f.payloadStart() + f.payloadLength();
    }
    return new Segment(file, boot, entries);
  }

  /** Puts one record's frame back in its run file; true if the file was written. */
  private static boolean apply(Path dir, DirectoryLock lock, Entry e) throws IOException {
    Path file = dir.resolve(FileRecords.runFileName(e.runId()));
    return lock.run(
        e.runId(),
        () -> {
          boolean exists = Files.exists(file);
          if (!exists && e.offset() != 0) {
            // Deleted on purpose (retention) after this frame was written.
            return false;
          }
          try (FileChannel ch =
              FileChannel.open(
                  file,
                  StandardOpenOption.CREATE,
                  StandardOpenOption.READ,
                  StandardOpenOption.WRITE)) {
            ByteBuffer there = ByteBuffer.allocate(e.frame().length);
            long at = e.offset();
            while (there.hasRemaining()) {
              int n = ch.read(there, at);
              if (n < 0) {
                break;
              }
              at += n;
            }
            if (!there.hasRemaining() && Arrays.equals(there.array(), e.frame())) {
              return false;
            }
            ByteBuffer frame = ByteBuffer.wrap(e.frame());
            at = e.offset();
            while (frame.hasRemaining()) {
              at += ch.write(frame, at);
            }
            // What followed was written after this frame, which was lost: never acknowledged.
            ch.truncate(at);
            return true;
          }
        });
  }
}
