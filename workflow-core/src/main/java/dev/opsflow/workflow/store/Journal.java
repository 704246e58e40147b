package dev.opsflow.workflow.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal of one JVM in a {@link FileExecutionStore} directory, shared by every store instance
 * of the JVM on it: each frame appended to a run file (without a sync) is also appended to the
 * journal's current {@link JournalSegment}, and a commit returns once the segment is synced past
 * its record, by group commit: one {@code fdatasync} makes the commits of many runs durable.
 *
 * <p>Segments are made ahead, off the commit path (a background thread makes the next one when the
 * current one is half full). A full segment is checkpointed in the background: the run files it
 * names are synced (several at once), the store directory is synced (the entries of run files
 * created in place), and the segment is deleted. At most {@value #MAX_PENDING} full segments await
 * their checkpoint: a roll past that waits for one (the disk used stays bounded). The journal of a
 * dead process is replayed or checkpointed by {@link JournalReplay}.
 */
final class Journal {
  private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
  static final String DIR = "journal";
  static final long SEGMENT_SIZE = 16L * 1024 * 1024;

  /** The first segment is smaller: it is made on the first commit's path, not ahead. */
  static final long FIRST_SEGMENT_SIZE = 1024L * 1024;

  static final int MAX_PENDING = 2;
  private static final Map<Path, Journal> SHARED = new ConcurrentHashMap<>();

  private static volatile String bootIdOverride;

  private final Path dir;
  private final Path journalDir;
  private final LiveOwners owners;
  private final Semaphore pending = new Semaphore(MAX_PENDING);
  private final List<Future<?>> background = new ArrayList<>();

  // The journal's own threads (made when first needed, ended when idle for 5 s, stopped by close):
  /** Makes segments ahead; apart from checkpoints, so a slow checkpoint never delays a roll. */
  private final ExecutorService maker = StoreThreads.pool("opsflow-journal-make", 1);

  /** Checkpoints full segments. */
  private final ExecutorService checkpoints = StoreThreads.pool("opsflow-journal-checkpoint", 2);

  /** Syncs a checkpoint's run files several at once, so that the file system groups them. */
  private final ExecutorService syncers = StoreThreads.pool("opsflow-journal-sync", 4);

  /** Syncs off the commit path (segments made, checkpoints); a test's count of them. */
  volatile FileSyncs maintenance = FileSyncs.OS;

  /**
   * Whether {@link #prepare} makes the first segment at the store's open, in the background. Off by
   * default (the first commit makes it), on with {@code -Dopsflow.file.firstSegmentAtOpen=true}:
   * its thread writes into the store's directory after {@code open} returned, so a caller that
   * deletes the directory right after opening the store without closing it (a test's temporary
   * directory) would race it, and it showed no gain beyond the noise of start-up measurements here.
   */
  volatile boolean segmentAtOpen =
      "true".equals(System.getProperty("opsflow.file.firstSegmentAtOpen"));

  /** The size of the segments after the first; a test makes it small. */
  volatile long segmentSize = SEGMENT_SIZE;

  // Guarded by this.
  private String processId;
  private volatile JournalSegment current;
  private CompletableFuture<JournalSegment> spare;

  /** The first segment, made in the background from the store's open (see {@link #prepare}). */
  private CompletableFuture<JournalSegment> first;

  private long nextSeq = 1;
  private boolean closed;

  /** Where {@link #append} makes each record (guarded by this). */
  private byte[] scratch = new byte[16 * 1024];

  /** A record buffer larger than this is not kept for the next record. */
  private static final int MAX_SCRATCH = 256 * 1024;

  private Journal(Path dir) {
    this.dir = dir;
    this.journalDir = dir.resolve(DIR);
    this.owners = LiveOwners.of(dir);
  }

  /** The journal of this JVM in {@code realDir}, shared by every store of the JVM on it. */
  static Journal of(Path realDir) {
    // A journal whose segment vanished (the directory was removed and made again) starts afresh.
    // Not compute with a lambda: a JVM's start-up spins a class for each lambda.
    synchronized (SHARED) {
      Journal j = SHARED.get(realDir);
      if (j != null && j.isCurrent()) {
        return j;
      }
      if (j != null && j.current != null) {
        j.current.close();
      }
      Journal made = new Journal(realDir);
      SHARED.put(realDir, made);
      return made;
    }
  }

  /**
   * With {@code -Dopsflow.file.firstSegmentAtOpen=true} ({@link #segmentAtOpen}), starts making the
   * first segment in the background, if none is made or being made: the store's open calls it, so
   * that the first commit finds the segment (its process file locked, its zeros written and synced)
   * ready rather than making it on its own path. Nothing is written to the segment before the first
   * commit. By default it does nothing: the first commit makes the segment, and its syncs wait for
   * the first commit that is synced ({@link #makeFirst}).
   */
  synchronized void prepare() {
    if (current != null || first != null || closed || !segmentAtOpen) {
      return;
    }
    long seq = nextSeq++;
    long size = Math.min(FIRST_SEGMENT_SIZE, segmentSize);
    FileSyncs syncs = maintenance;
    first =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return makeFirst(seq, size, syncs, false);
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            },
            maker);
    background.add(first);
  }

  private boolean isCurrent() {
    JournalSegment seg = current;
    return seg == null || Files.exists(seg.file);
  }

  /**
   * Checkpoints every record written so far (moves to a new segment if the current one holds any)
   * and returns once done: retention calls it before it deletes run files, so that no segment of
   * this JVM still holds the records of a deleted run (a replay after a power cut would bring back
   * a file whose first frame it holds).
   */
  void checkpointNow() throws IOException {
    synchronized (this) {
      if (current != null && !current.empty()) {
        roll();
      }
    }
    try {
      awaitBackground();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while checkpointing the journal", e);
    } catch (Exception e) {
      throw new IOException("the journal's checkpoint failed: " + e, e);
    }
  }

  /** Where a commit's record ended: the commit is durable once its segment is synced past it. */
  record Ticket(JournalSegment segment, long end) {}

  /**
   * Appends the record of a frame ({@code frame[from, from + length)}) written at {@code offset} of
   * run {@code runId}'s file. Call holding the run's lock, right after the frame's write, so that a
   * run's records are in the journal in the order of its file's writes.
   */
  synchronized Ticket append(String runId, long offset, byte[] frame, int from, int length)
      throws IOException {
    if (closed) {
      throw new IOException("the journal in " + journalDir + " is closed (its store closed)");
    }
    JournalSegment seg = current();
    byte[] body = JournalSegment.frameBody(runId, offset);
    int room = JournalSegment.room(body, length);
    // The record is made in a buffer this journal reuses (appends hold its lock), unless large.
    byte[] a = room <= scratch.length ? scratch : new byte[room];
    if (room > scratch.length && room <= MAX_SCRATCH) {
      scratch = a;
    }
    int at =
        JournalSegment.recordInto(a, seg.seq, JournalSegment.RECORD, body, frame, from, length);
    if (seg.failed() || (!seg.fits(room - at) && !seg.empty())) {
      seg = roll();
      at = JournalSegment.recordInto(a, seg.seq, JournalSegment.RECORD, body, frame, from, length);
    }
    // A record larger than a whole segment goes alone in a fresh one, growing it: its sync then
    // commits the file's new size too (slower, still correct).
    long end;
    try {
      end = seg.append(a, at, room - at);
    } catch (IOException e) {
      // A write that failed (or a channel an interrupt closed during a sync): the segment is not
      // trusted any more; the record goes to a new one.
      LOG.warn("journal segment {} failed ({}); moving to a new one", seg.file, e.toString());
      seg.fail(e);
      seg = roll();
      at = JournalSegment.recordInto(a, seg.seq, JournalSegment.RECORD, body, frame, from, length);
      end = seg.append(a, at, room - at);
    }
    seg.runIds.add(runId);
    if (spare == null && seg.written() > seg.size / 2) {
      makeSpare();
    }
    return new Ticket(seg, end);
  }

  /**
   * Returns once {@code ticket}'s record is durable, syncing through {@code syncs} as the group's
   * leader when no sync runs (a lone commit syncs on its own thread). A failed sync fails this
   * commit with a {@link dev.opsflow.workflow.spi.StoreException} naming the segment, and the
   * journal moves to a new segment.
   */
  void await(Ticket ticket, FileSyncs syncs) {
    ticket.segment().awaitSynced(ticket.end(), syncs, () -> retire(ticket.segment()));
  }

  /** After a failed sync: the segment takes no more records (its checkpoint still runs). */
  private synchronized void retire(JournalSegment failed) {
    if (current == failed) {
      try {
        roll();
      } catch (IOException e) {
        // The next append rolls again (the segment is marked failed) and reports it.
        LOG.warn("cannot start a new journal segment in {}: {}", journalDir, e.toString());
      }
    }
  }

  private JournalSegment current() throws IOException {
    if (current == null) {
      CompletableFuture<JournalSegment> made = first;
      first = null;
      if (made != null) {
        try {
          current = made.join();
        } catch (java.util.concurrent.CompletionException e) {
          // Made again here, which reports the error to this commit.
          LOG.debug("the journal's first segment in {} failed in the background", journalDir, e);
        }
      }
      if (current == null) {
        current =
            makeFirst(nextSeq++, Math.min(FIRST_SEGMENT_SIZE, segmentSize), maintenance, true);
      }
      // Locked already, by makeFirst: the segments made ahead are named after it.
      processId = owners.lockedProcessId();
    }
    return current;
  }

  /**
   * Makes the first segment, {@code seq}, after this process's file (see {@link #current}). With
   * {@code syncsAtFirstSync} (the first commit's path) it syncs nothing itself: the segment's first
   * sync does, in the same order, before its records are durable (see {@link JournalSegment#make});
   * so the run whose creation made it, created and started unsynced, reaches its first step without
   * waiting for a disk, and the syncs are paid with that step's commit.
   */
  private JournalSegment makeFirst(long seq, long size, FileSyncs syncs, boolean syncsAtFirstSync)
      throws IOException {
    Files.createDirectories(journalDir);
    // Not under this journal's lock: the first commit holds it while it waits for this segment.
    String pid = owners.lockedProcessId();
    // The journal's and the process file's entries are durable before any record: a journal
    // whose process file a power cut lost would still be replayed, not mistaken for a live one.
    List<Path> dirsFirst = List.of(dir, dir.resolve(LiveOwners.DIR));
    if (syncsAtFirstSync) {
      return JournalSegment.make(journalDir, pid, seq, size, bootId(), syncs, dirsFirst);
    }
    for (Path d : dirsFirst) {
      syncs.directory(d);
    }
    return JournalSegment.make(journalDir, pid, seq, size, bootId(), syncs);
  }

  private void makeSpare() {
    long seq = nextSeq++;
    String pid = processId;
    long size = segmentSize;
    FileSyncs syncs = maintenance;
    spare =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return JournalSegment.make(journalDir, pid, seq, size, bootId(), syncs);
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            },
            maker);
    background.add(spare);
  }

  /** Moves to the next segment (waiting for it if not made yet) and checkpoints the old one. */
  private JournalSegment roll() throws IOException {
    if (spare == null) {
      makeSpare();
    }
    JournalSegment next;
    try {
      next = spare.join();
    } catch (java.util.concurrent.CompletionException e) {
      spare = null;
      if (e.getCause() instanceof java.io.UncheckedIOException u) {
        throw u.getCause();
      }
      throw e;
    } finally {
      spare = null;
    }
    JournalSegment old = current;
    // Backpressure: never more than MAX_PENDING full segments on disk awaiting a checkpoint.
    pending.acquireUninterruptibly();
    current = next;
    background.removeIf(Future::isDone);
    background.add(
        checkpoints.submit(
            () -> {
              try {
                checkpoint(old);
              } finally {
                pending.release();
              }
            }));
    return next;
  }

  /**
   * Makes the run files {@code seg} wrote durable, then deletes it: its records are synced first
   * (so no commit waiting on it can meet a closed file), then each run file is synced, then the
   * directory; a failure keeps the segment (the next start replays it) and is returned.
   */
  private IOException checkpoint(JournalSegment seg) {
    try {
      try {
        seg.awaitSynced(seg.written(), maintenance, () -> {});
      } catch (RuntimeException e) {
        // A failed segment: its acknowledged records still need their run files synced.
        LOG.debug("journal segment {} failed before its checkpoint", seg.file, e);
      }
      syncRunFiles(seg.runIds, maintenance);
      maintenance.directory(dir);
      seg.close();
      Files.deleteIfExists(seg.file);
      return null;
    } catch (IOException | RuntimeException e) {
      seg.close();
      LOG.warn(
          "journal segment {} kept: its checkpoint failed ({}); the next start replays it",
          seg.file,
          e.toString());
      return e instanceof IOException io ? io : new IOException(e.toString(), e);
    }
  }

  /**
   * Syncs ({@code fdatasync}) the files of {@code runIds} in the store directory, several at once
   * on this journal's threads (a checkpoint's, or a dead journal's replay, {@link JournalReplay}).
   */
  void syncRunFiles(Iterable<String> runIds, FileSyncs syncs) throws IOException {
    var jobs = new ArrayList<Future<?>>();
    for (String runId : runIds) {
      Path file = dir.resolve(FileRecords.runFileName(runId));
      jobs.add(
          syncers.submit(
              () -> {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                  syncs.file(ch, false);
                } catch (NoSuchFileException e) {
                  // Deleted by retention since: nothing to keep.
                }
                return null;
              }));
    }
    for (Future<?> job : jobs) {
      try {
        job.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while syncing run files", e);
      } catch (java.util.concurrent.ExecutionException e) {
        throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
      }
    }
  }

  /** Waits until the segments being made and the checkpoints started so far are done. */
  void awaitBackground() throws Exception {
    List<Future<?>> jobs;
    synchronized (this) {
      jobs = new ArrayList<>(background);
    }
    for (Future<?> job : jobs) {
      try {
        job.get();
      } catch (java.util.concurrent.ExecutionException e) {
        // Reported by the job itself (a checkpoint logs, a spare fails the roll that takes it).
      }
    }
  }

  /** {@return the segment records go to now, for tests; without the lock a roll may hold} */
  JournalSegment currentForTest() {
    return current;
  }

  /**
   * Closes the journal, when the last store of this JVM on the directory closes: waits for the
   * segments being made and the checkpoints under way, checkpoints the current segment (its records
   * synced, the run files they name synced, the directory synced), deletes it and the segments made
   * ahead (they hold no record), and stops the journal's threads. Later appends fail. A checkpoint
   * that fails keeps its segment for the next open's replay and is reported.
   *
   * @throws IOException naming the segments kept, if a checkpoint failed (every other step is done)
   */
  void close() throws IOException {
    JournalSegment last;
    List<CompletableFuture<JournalSegment>> ahead = new ArrayList<>();
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      SHARED.remove(dir, this);
      last = current;
      current = null;
      if (first != null) {
        ahead.add(first);
      }
      if (spare != null) {
        ahead.add(spare);
      }
      first = null;
      spare = null;
    }
    var kept = new ArrayList<String>();
    IOException failure = null;
    for (CompletableFuture<JournalSegment> made : ahead) {
      JournalSegment seg;
      try {
        seg = made.join();
      } catch (java.util.concurrent.CompletionException e) {
        continue; // Never made: nothing to delete.
      }
      seg.close();
      try {
        Files.deleteIfExists(seg.file);
      } catch (IOException e) {
        // Empty: a replay of it writes nothing.
        kept.add(seg.file.getFileName().toString());
        failure = e;
      }
    }
    try {
      awaitBackground();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // Each checkpoint reports its own failure (and keeps its segment).
    }
    if (last != null) {
      IOException e = checkpoint(last);
      if (e != null) {
        kept.add(last.file.getFileName().toString());
        failure = e;
      }
    }
    for (ExecutorService pool : List.of(maker, checkpoints, syncers)) {
      pool.shutdown();
    }
    if (failure != null) {
      throw new IOException(
          "journal segments kept in "
              + journalDir
              + " (the next open replays them): "
              + kept
              + ": "
              + FileRecords.describe(failure),
          failure);
    }
  }

  /**
   * Closes this JVM's journal on {@code realDir}, if there is one (see {@link #close}).
   *
   * @param realDir the store directory
   * @return null
   * @throws IOException as {@link #close}
   */
  static Void closeShared(Path realDir) throws IOException {
    Journal j = SHARED.get(realDir);
    if (j != null) {
      j.close();
    }
    return null;
  }

  /** Whether {@link #close} ran. */
  synchronized boolean isClosed() {
    return closed;
  }

  /**
   * Test seam: this JVM's journal on {@code realDir} is dropped as if the process died (its files
   * stay, closed); the next store opened on the directory starts a new one.
   */
  static void dieForTest(Path realDir) throws Exception {
    Journal gone = SHARED.remove(realDir);
    if (gone != null) {
      gone.awaitBackground();
      synchronized (gone) {
        if (gone.current != null) {
          gone.current.close();
        }
        if (gone.spare != null) {
          gone.spare.join().close();
        }
        if (gone.first != null) {
          gone.first.join().close();
        }
      }
    }
    LiveOwners.dieForTest(realDir);
    OpenDirectories.forgetForTest(realDir);
  }

  /**
   * This boot's id ({@code /proc/sys/kernel/random/boot_id}); empty when it cannot be read (then a
   * dead process's journal is always replayed, never only checkpointed).
   */
  static String bootId() {
    String override = bootIdOverride;
    if (override != null) {
      return override;
    }
    try {
      return Files.readString(Path.of("/proc/sys/kernel/random/boot_id"), StandardCharsets.US_ASCII)
          .strip();
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  /** Test seam: the boot id this JVM reads from now on (null: the machine's again). */
  static void bootIdForTest(String id) {
    bootIdOverride = id;
  }
}
