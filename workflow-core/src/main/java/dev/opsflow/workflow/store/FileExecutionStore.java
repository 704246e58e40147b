package dev.opsflow.workflow.store;

import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.spi.ExecutionStore;
import dev.opsflow.workflow.spi.RunQuery;
import dev.opsflow.workflow.spi.RunRecord;
import dev.opsflow.workflow.spi.StaleRunException;
import dev.opsflow.workflow.spi.StoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded durable store: one directory, one file per run holding the run and its event
 * journal, one small file per idempotency key, a {@code .lock} file, and a journal of each JVM
 * writing to it ({@code journal/}).
 *
 * <p>A run file is a spare made ahead by a background thread and renamed to the run's name (see
 * {@link SpareFiles}; retention recycles deleted files into spares), or, with none ready, a file
 * created in place ({@code O_EXCL}); it gets its first frame, and each commit appends one
 * checksummed frame (the run and the events since the last commit). Neither syncs the run file: the
 * frame is also appended to the JVM's {@link Journal}, and a synced commit returns once the journal
 * is synced past it, by group commit (one {@code fdatasync} for the commits of many runs). A full
 * journal segment is checkpointed in the background (the run files it names synced, then it is
 * deleted); the journal of a dead process is checkpointed, or after a power cut replayed into the
 * run files, by {@link JournalReplay} at {@link #open} and before a dead owner's runs are taken
 * over. So a run survives {@code kill -9} or a power cut at any instant. Every frame carries a
 * CRC-32C of its payload in a header line. A frame torn by a crash during a commit is never read
 * (the commit did not happen) and is cut by the next commit. A damaged, truncated or foreign file
 * is reported (a WARN log; {@link #find} and {@link #events} throw a {@link StoreException} naming
 * the file) and skipped by {@link #query} and {@link #findExpired}, never read as a valid state.
 *
 * <p>Changes hold locks ({@code fcntl} byte ranges of {@code .lock} plus JVM-wide locks: the
 * directory's to create keys (and their runs) and for retention, a run's to create a keyless run,
 * commit or claim it), so several threads, store instances and processes may share one local
 * directory, and commits of different runs proceed in parallel. Not for network file systems whose
 * locks are unreliable. Thread-safe. The format is described in {@code docs/durability.md}.
 *
 * <p>Close the store when done ({@link #close}, after the engines that use it): its last journal
 * segments are then checkpointed into the run files and deleted, its threads stopped and its locks
 * released, so that the next process to open the directory has nothing to finish. A store that is
 * not closed (the process is killed) loses nothing: the next open finishes its journal.
 */
public final class FileExecutionStore implements ExecutionStore, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FileExecutionStore.class);
  static final String RUN = "run";
  static final String KEY = "key";

  private final Path dir;
  private final DirectoryLock lock;
  private final Set<String> reported = ConcurrentHashMap.newKeySet();
  private final RunTails tails = new RunTails();

  /** Made by the first query: its comparator's lambdas are classes an open need not load. */
  private RunIndex index;

  private final LiveOwners owners;
  private final Journal journal;
  private final SpareFiles spares;

  private final FileSyncs syncs;

  /** The count of this JVM's stores on the directory that this one joined. */
  private final OpenDirectories.Users users;

  /** Calls hold it shared; {@link #close} takes it exclusively, so it waits for calls under way. */
  private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();

  private final Object closing = new Object();
  private volatile boolean closed;

  private FileExecutionStore(
      Path dir, DirectoryLock lock, FileSyncs syncs, OpenDirectories.Users users) {
    this.dir = dir;
    this.lock = lock;
    this.syncs = syncs;
    this.users = users;
    this.owners = LiveOwners.of(dir);
    this.journal = Journal.of(dir);
    this.spares = SpareFiles.of(dir);
  }

  /**
   * Opens (creating if needed) the store in {@code directory}, removes temp files a crash left
   * behind, and finishes the journals of dead processes. Its work does not grow with the runs
   * stored: it lists only the temp and journal directories. The journal's first segment is made in
   * the background meanwhile, so the first commit need not wait for it. Close the store when done.
   *
   * @param directory the store's directory, created if absent
   * @return the store
   * @throws StoreException if the directory cannot be created or written; the message says what to
   *     fix
   */
  public static FileExecutionStore open(Path directory) {
    return open(directory, FileSyncs.OS);
  }

  /** {@link #open(Path)}, syncing through {@code syncs} (a test's count of them). */
  static FileExecutionStore open(Path directory, FileSyncs syncs) {
    Path abs = directory.toAbsolutePath().normalize();
    String fix =
        "give FileExecutionStore.open a directory this process can create and write "
            + "(every parent of "
            + abs
            + " must be a directory, writable by this user)";
    Path real;
    try {
      Files.createDirectories(abs);
      real = abs.toRealPath();
    } catch (IOException e) {
      throw new StoreException(
          "cannot use "
              + abs
              + " as the execution store directory ("
              + FileRecords.describe(e)
              + "); fix: "
              + fix,
          fix,
          e);
    }
    OpenDirectories.Users users = OpenDirectories.join(real);
    try {
      var store = new FileExecutionStore(real, DirectoryLock.of(real), syncs, users);
      store.journal.prepare();
      store.lock.directory(
          () -> {
            ChecksummedFile.removeTempFiles(real);
            JournalReplay.replayDead(real, store.lock, syncs, store.journal);
            return null;
          });
      return store;
    } catch (IOException | RuntimeException e) {
      try {
        OpenDirectories.leave(real, users, () -> finishShared(real, null));
      } catch (IOException | RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw new StoreException(
          "cannot write in the execution store directory "
              + real
              + " ("
              + FileRecords.describe((IOException) e)
              + "); fix: "
              + fix,
          fix,
          e);
    }
  }

  private synchronized RunIndex index() {
    if (index == null) {
      index = new RunIndex(dir, this::readOrReport);
    }
    return index;
  }

  /** {@return the store's directory} */
  public Path directory() {
    return dir;
  }

  /**
   * {@inheritDoc} The run's file is a spare renamed to its name, or created in place ({@code
   * O_EXCL}) when none is ready; no directory sync; the call returns once its journal record is
   * synced: the journal makes the first frame durable, and a replay after a power cut recreates a
   * file whose entry was lost.
   */
  @Override
  public Created create(RunRecord run) {
    return call(() -> create(run, List.of(), true));
  }

  /**
   * {@inheritDoc} The run's file is made holding its first frame, without a sync or a directory
   * sync, as by {@link #create}; its journal record is not waited for: the run's next synced
   * commit, whose journal sync covers it, makes it durable. An idempotency key's file is written
   * durably all the same, before the run's.
   */
  @Override
  public Created createUnsynced(RunRecord run) {
    return call(() -> create(run, List.of(), false));
  }

  /**
   * {@inheritDoc} Here the run and its first events are the file's first frame: one write to the
   * run's file and one journal record, not two (the creation's frame, then the start's).
   */
  @Override
  public Created createUnsynced(RunRecord run, List<WorkflowEvent> events) {
    return call(() -> create(run, events, false));
  }

  private Created create(RunRecord run, List<WorkflowEvent> events, boolean sync) {
    Path file = dir.resolve(FileRecords.runFileName(run.runId()));
    // A run without an idempotency key, whose file name is its id, is created holding only its
    // own lock. The directory lock guards what a creation shares with other runs: a key (its check
    // and its file, so that two creators of one key exclude each other) and retention (which
    // recycles files under it). A keyless creation needs neither: "exists" is decided by the
    // O_EXCL creation or the rename of a spare refused over an existing file, under the run's lock,
    // which every creator of the id takes (a keyed one too, below); retention only takes finished
    // runs; and a reader that meets the file before its first frame is whole takes the run's lock,
    // which it can name from the file's name (a hashed name cannot tell its run: those keep the
    // directory lock, which such a reader takes instead).
    boolean shared =
        run.idempotencyKey() != null
            || FileRecords.runIdOfName(file.getFileName().toString()) == null;
    Creation created =
        wrap(
            () ->
                shared
                    ? lock.directory(() -> createShared(run, events, file))
                    : lock.run(run.runId(), () -> createFile(run, events, file)));
    if (sync && created.ticket != null) {
      journal.await(created.ticket, syncs);
    }
    return created.created;
  }

  /** A creation under the directory lock: a keyed run, or one with a hashed file name. */
  private Creation createShared(RunRecord run, List<WorkflowEvent> events, Path file)
      throws IOException {
    if (Files.exists(file)) {
      throw exists(run);
    }
    String key = run.idempotencyKey();
    if (key != null) {
      Optional<String> holder = FileRecords.readKey(dir, key);
      if (holder.isPresent()) {
        Optional<RunRecord> existing = readRun(holder.get()).map(FileRecords.Stored::run);
        if (existing.isPresent() && !existing.get().state().allowsRetryOfKey()) {
          return new Creation(existing.get(), false);
        }
      }
    }
    return lock.run(
        run.runId(),
        () -> {
          if (key != null) {
            // Checked again under the run's lock: a keyless creator of this id holds only that
            // one, and the key must not name a run this call did not create.
            if (Files.exists(file)) {
              throw exists(run);
            }
            // The key first: a crash before the run file leaves a key whose run is absent (free).
            FileRecords.writeKey(dir, key, run.runId(), syncs, spares);
          }
          return createFile(run, events, file);
        });
  }

  /**
   * Makes the run's file holding its first frame (the run and {@code events}): a spare renamed to
   * its name, or, with none ready, a file created in place ({@code O_EXCL}). Under the run's lock:
   * a reader that finds no complete frame in a run file takes it before it calls the file corrupt
   * (the first frame may be half written in front of it).
   */
  private Creation createFile(RunRecord run, List<WorkflowEvent> events, Path file)
      throws IOException {
    owners.register(run.owner());
    RunRecord stored = run.withVersion(1);
    FileRecords.FrameBytes first = FileRecords.frame(stored, events);
    FileChannel ch;
    try {
      ch = spares.take(file);
      if (ch == null) {
        ch = spares.creator.create(file);
      }
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw exists(run);
    }
    ChecksummedFile.writeFirst(ch, file, first.buffer());
    tails.remember(stored.runId(), file, fileKey(file), first.length(), 1, ch);
    Journal.Ticket ticket =
        journal.append(stored.runId(), 0, first.array(), first.offset(), first.length());
    return new Creation(stored, true, ticket);
  }

  /** A creation's result, and its journal record (null when an existing run was returned). */
  private record Creation(Created created, Journal.Ticket ticket) {
    Creation(RunRecord run, boolean isNew) {
      this(new Created(run, isNew), null);
    }

    Creation(RunRecord run, boolean isNew, Journal.Ticket ticket) {
      this(new Created(run, isNew), ticket);
    }
  }

  private StoreException exists(RunRecord run) {
    return new StoreException("run " + run.runId() + " already exists in " + dir, null);
  }

  private static Object fileKey(Path file) throws IOException {
    return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
  }

  @Override
  public RunRecord commit(RunRecord run, List<WorkflowEvent> events) {
    return call(() -> commit(run, events, true));
  }

  /**
   * {@inheritDoc} The frame and its journal record are written without waiting for a sync: the
   * run's next synced commit makes it durable with its own (the journal is synced in order).
   */
  @Override
  public RunRecord commitUnsynced(RunRecord run, List<WorkflowEvent> events) {
    return call(() -> commit(run, events, false));
  }

  private RunRecord commit(RunRecord run, List<WorkflowEvent> events, boolean sync) {
    RunRecord stored = run.withVersion(run.version() + 1);
    // Serialised before the lock: the frame does not depend on what is on disk.
    FileRecords.FrameBytes frame = FileRecords.frame(stored, events);
    Journal.Ticket ticket =
        locked(
            run.runId(),
            () -> {
              RunTails.Tail known = tails.known(run.runId());
              Path file =
                  known != null ? known.file() : dir.resolve(FileRecords.runFileName(run.runId()));
              BasicFileAttributes now;
              try {
                now = Files.readAttributes(file, BasicFileAttributes.class);
              } catch (NoSuchFileException e) {
                tails.forget(run.runId());
                throw notInStore(run.runId());
              }
              long version;
              long end;
              long size = now.size();
              RunTails.Tail tail = RunTails.unchanged(known, now);
              if (tail != null) {
                version = tail.version();
                end = tail.size();
              } else {
                // Changed by another writer (or not known): its cached channel goes, the file is
                // read.
                tails.forget(run.runId());
                // The frame header carries the version: no need to parse the stored run.
                FileRecords.Stored current =
                    read(run.runId(), FileRecords::readFrames)
                        .orElseThrow(() -> notInStore(run.runId()));
                warnIfTorn(file, current);
                version = current.version();
                end = current.log().validLength();
                size = current.bytes().length;
              }
              if (version != run.version()) {
                throw new StaleRunException(run.runId(), run.version(), version);
              }
              owners.register(stored.owner());
              return append(file, now.fileKey(), end, size, stored, frame);
            });
    if (sync) {
      // After the run's lock: other runs' commits join this sync meanwhile. A second commit of
      // this run cannot be acknowledged before this one is durable: the journal is synced in
      // order, so its sync covers this record too.
      journal.await(ticket, syncs);
    }
    return stored;
  }

  @Override
  public Optional<RunRecord> find(String runId) {
    return guarded(() -> readRun(runId).map(FileRecords.Stored::run));
  }

  @Override
  public Optional<RunRecord> findByIdempotencyKey(String idempotencyKey) {
    return guarded(
        () -> {
          Optional<String> holder = FileRecords.readKey(dir, idempotencyKey);
          return holder.isEmpty()
              ? Optional.empty()
              : readRun(holder.get()).map(FileRecords.Stored::run);
        });
  }

  @Override
  public List<WorkflowEvent> events(String runId) {
    return guarded(() -> readRun(runId).map(FileRecords::events).orElse(List.of()));
  }

  @Override
  public List<RunRecord> query(RunQuery query) {
    return guarded(
        () -> {
          // The index picks the page's files; only they are read (a run may have moved on since).
          var out = new ArrayList<RunRecord>();
          for (Path file : index().select(query)) {
            readOrReport(file).filter(query::matches).ifPresent(out::add);
          }
          return out;
        });
  }

  @Override
  public Optional<RunRecord> claim(String runId, String owner, Instant now, Duration lease) {
    return call(() -> claimNow(runId, owner, now, lease));
  }

  private Optional<RunRecord> claimNow(String runId, String owner, Instant now, Duration lease) {
    replayDeadJournals();
    var claimed = new RunRecord[1];
    Journal.Ticket ticket =
        locked(
            runId,
            () -> {
              Optional<FileRecords.Stored> found = readRun(runId);
              if (found.isEmpty() || found.get().run().state().isFinished()) {
                return null;
              }
              RunRecord current = found.get().run();
              boolean free =
                  current.owner() == null
                      || owner.equals(current.owner())
                      || current.leaseUntil() == null
                      || current.leaseUntil().isBefore(now)
                      || owners.liveness(current.owner()) == LiveOwners.Liveness.DEAD;
              if (!free) {
                return null;
              }
              RunRecord next =
                  current.withLease(owner, now.plus(lease)).withVersion(current.version() + 1);
              owners.register(owner);
              Path file = dir.resolve(FileRecords.runFileName(runId));
              warnIfTorn(file, found.get());
              tails.forget(runId);
              claimed[0] = next;
              return append(
                  file,
                  Files.readAttributes(file, BasicFileAttributes.class).fileKey(),
                  found.get().log().validLength(),
                  found.get().bytes().length,
                  next,
                  FileRecords.frame(next, List.of()));
            });
    if (ticket == null) {
      return Optional.empty();
    }
    journal.await(ticket, syncs);
    return Optional.of(claimed[0]);
  }

  /**
   * {@inheritDoc} Also the runs whose owner's process is known to be dead (its OS lock is free, see
   * {@link LiveOwners}), whatever their lease: they are taken over at once.
   */
  @Override
  public List<String> findExpired(Instant now, int limit) {
    return call(() -> findExpiredNow(now, limit));
  }

  private List<String> findExpiredNow(Instant now, int limit) {
    replayDeadJournals();
    var known = new java.util.HashMap<String, LiveOwners.Liveness>();
    return wrap(
        () ->
            scan(
                    r ->
                        !r.state().isFinished()
                            && (r.leaseUntil() == null
                                || r.leaseUntil().isBefore(now)
                                || known.computeIfAbsent(r.owner(), owners::liveness)
                                    == LiveOwners.Liveness.DEAD))
                .stream()
                .sorted(Comparator.comparing(RunRecord::createdAt))
                .limit(limit)
                .map(RunRecord::runId)
                .toList());
  }

  @Override
  public int deleteFinishedBefore(Instant cutoff) {
    return guarded(
        () ->
            lock.directory(
                () -> {
                  FileRecords.removeOldTempFiles(dir);
                  List<RunRecord> doomed =
                      scan(r -> r.state().isFinished() && r.updatedAt().isBefore(cutoff));
                  if (!doomed.isEmpty()) {
                    // No record of a run deleted here may stay in this JVM's journal: a replay
                    // after a power cut would bring its file back.
                    journal.checkpointNow();
                  }
                  // Deleted files become spares (up to the pool's cap): a steady store then
                  // allocates no inodes, and deletes none for the allocator to skip.
                  int[] room = {doomed.isEmpty() ? 0 : spares.room()};
                  for (RunRecord r : doomed) {
                    if (r.idempotencyKey() != null
                        && FileRecords.readKey(dir, r.idempotencyKey())
                            .filter(r.runId()::equals)
                            .isPresent()) {
                      retire(dir.resolve(FileRecords.keyFileName(r.idempotencyKey())), room);
                    }
                    lock.run(
                        r.runId(),
                        () -> {
                          tails.forget(r.runId());
                          FileCancelRequests.delete(dir, r.runId());
                          return retire(dir.resolve(FileRecords.runFileName(r.runId())), room);
                        });
                  }
                  if (!doomed.isEmpty()) {
                    syncs.directory(dir);
                  }
                  return doomed.size();
                }));
  }

  /** Recycles {@code file} into the spares while {@code room[0]} allows, else deletes it. */
  private boolean retire(Path file, int[] room) throws IOException {
    if (room[0] > 0) {
      boolean moved = spares.recycle(file);
      if (moved) {
        room[0]--;
      }
      return moved;
    }
    return Files.deleteIfExists(file);
  }

  @Override
  public boolean requestCancel(String runId, Instant at) {
    return requestCancel(runId, at, false);
  }

  @Override
  public boolean rollbackRequested(String runId) {
    return call(
        () -> {
          try {
            return FileCancelRequests.rollback(dir, runId);
          } catch (IOException e) {
            throw new StoreException("cannot read the cancel request of run " + runId, e);
          }
        });
  }

  @Override
  public boolean requestCancel(String runId, Instant at, boolean rollback) {
    return call(
        () ->
            locked(
                runId,
                () -> {
                  Optional<RunRecord> run = readRun(runId).map(FileRecords.Stored::run);
                  if (run.isEmpty() || run.get().state().isFinished()) {
                    return false;
                  }
                  FileCancelRequests.write(dir, runId, at, rollback);
                  return true;
                }));
  }

  @Override
  public boolean cancelRequested(String runId) {
    return call(() -> FileCancelRequests.exists(dir, runId));
  }

  @Override
  public void withdrawCancelRequest(String runId) {
    call(
        () ->
            locked(
                runId,
                () -> {
                  FileCancelRequests.delete(dir, runId);
                  return null;
                }));
  }

  @Override
  public String toString() {
    return "FileExecutionStore[" + dir + "]";
  }

  /**
   * Closes the store: waits for the calls under way (commits in flight on other threads finish and
   * are acknowledged), closes its run files, and refuses every later call with a {@link
   * StoreException}. When it is the last store of this JVM open on the directory, it also
   * checkpoints the JVM's journal (every record's run file synced, the directory synced, the
   * segments deleted), stops the journal's threads and releases the directory's locks: the lock of
   * this process's file in {@code owners/} too, so that the unfinished runs of the owners that
   * wrote here are taken over at once by the next process, as after a crash. Calling it again does
   * nothing.
   *
   * <p>Why {@code AutoCloseable} here rather than a {@code close()} on {@link ExecutionStore}: this
   * store owns operating-system resources (threads, file channels, locks) that it made itself, as
   * the JDBC store owns its owners' session (also {@code AutoCloseable}); the in-memory store holds
   * nothing, so a no-op close on every store would only blur who owns what. The caller owns the
   * store it opened: {@link dev.opsflow.workflow.WorkflowEngine#close()} does not close it. Close
   * the engines that use the store first: a run still executing fails its next commit.
   *
   * @throws StoreException if a journal segment could not be checkpointed (it is kept, and the next
   *     open replays it: nothing is lost), or a lock could not be released; the store is closed all
   *     the same
   * @throws IllegalStateException if called from inside a call of this store (it would wait for
   *     itself)
   */
  @Override
  public void close() {
    synchronized (closing) {
      if (closed) {
        return;
      }
      if (gate.getReadHoldCount() > 0) {
        throw new IllegalStateException(
            "FileExecutionStore.close() called from inside a call of the same store " + dir);
      }
      closed = true;
      gate.writeLock().lock();
      try {
        tails.closeAll();
        OpenDirectories.leave(dir, users, () -> finishShared(dir, journal));
      } catch (IOException e) {
        throw new StoreException(
            "execution store "
                + dir
                + " closed, but not cleanly: "
                + FileRecords.describe(e)
                + "; nothing acknowledged is lost (the next open finishes what is left)",
            e);
      } finally {
        gate.writeLock().unlock();
      }
    }
  }

  /**
   * Finishes what this JVM's stores on {@code realDir} share, when the last of them closes (or the
   * only one failed to open): the journal checkpointed (then {@code mine}, if it was replaced), the
   * making of spare files stopped, the process file's lock released, then the directory lock's file
   * closed. Each step runs even if one before failed; the first failure is thrown.
   */
  private static Void finishShared(Path realDir, Journal mine) throws IOException {
    var failures = new ArrayList<IOException>();
    var steps = new ArrayList<DirectoryLock.IoWork<?>>();
    steps.add(() -> Journal.closeShared(realDir));
    if (mine != null) {
      steps.add(
          () -> {
            mine.close();
            return null;
          });
    }
    steps.add(() -> SpareFiles.closeShared(realDir));
    // After the journal: a journal is replayed as soon as its process reads as dead.
    steps.add(() -> LiveOwners.closeShared(realDir));
    steps.add(
        () -> {
          DirectoryLock.release(realDir);
          return null;
        });
    for (DirectoryLock.IoWork<?> step : steps) {
      try {
        step.run();
      } catch (IOException e) {
        failures.add(e);
      }
    }
    if (!failures.isEmpty()) {
      IOException first = failures.get(0);
      failures.stream().skip(1).forEach(first::addSuppressed);
      throw first;
    }
    return null;
  }

  /** Runs a call of the store's API: refused once closed; {@link #close} waits for it. */
  private <T> T call(Supplier<T> work) {
    enter();
    try {
      return work.get();
    } finally {
      gate.readLock().unlock();
    }
  }

  /**
   * Enters a call (take the gate's read lock, release it after): refused once the store is closed,
   * unless this thread is already inside a call that began before (it finishes).
   */
  private void enter() {
    // Checked first too: a call made while close waits for the calls under way fails at once
    // rather than queue behind the close.
    if (closed && gate.getReadHoldCount() == 0) {
      throw closedException();
    }
    gate.readLock().lock();
    if (closed && gate.getReadHoldCount() == 1) {
      gate.readLock().unlock();
      throw closedException();
    }
  }

  private StoreException closedException() {
    return new StoreException(
        "the execution store "
            + dir
            + " is closed; fix: open the directory again (FileExecutionStore.open) and use that"
            + " store",
        "open the directory again (FileExecutionStore.open) and use that store",
        null);
  }

  // ---- files ----

  /**
   * Appends {@code frame} (of {@code run}) at {@code end}, the last complete frame's end, in a file
   * of {@code size} bytes (more when a torn tail follows), through the run's cached channel or a
   * new one, without a sync, then its record to the journal; returns the record's ticket (await it
   * for durability, after the run's lock). The channel stays open for the run's next commit unless
   * the run finished; on failure it is closed and the file is read again next time. Call holding
   * the run's lock.
   */
  private Journal.Ticket append(
      Path file, Object fileKey, long end, long size, RunRecord run, FileRecords.FrameBytes frame)
      throws IOException {
    FileChannel ch = tails.take(run.runId(), file);
    Journal.Ticket ticket;
    try {
      ChecksummedFile.append(ch, end, size, frame.buffer(), null);
      ticket = journal.append(run.runId(), end, frame.array(), frame.offset(), frame.length());
    } catch (IOException | RuntimeException | Error e) {
      RunTails.closeQuietly(ch);
      tails.forget(run.runId());
      throw e;
    }
    if (run.state().isFinished()) {
      RunTails.closeQuietly(ch);
      tails.forget(run.runId());
    } else {
      tails.remember(run.runId(), file, fileKey, end + frame.length(), run.version(), ch);
    }
    return ticket;
  }

  /**
   * Finishes the journals of processes that died (see {@link JournalReplay}) before a dead owner's
   * runs are found or claimed: their last commits are then in their run files.
   */
  private void replayDeadJournals() {
    wrap(
        () -> {
          if (JournalReplay.deadJournals(dir)) {
            lock.directory(() -> JournalReplay.replayDead(dir, lock, syncs, journal));
          }
          return null;
        });
  }

  private static void warnIfTorn(Path file, FileRecords.Stored current) {
    ChecksummedFile.Log log = current.log();
    if (log.tornBytes() > 0) {
      LOG.warn(
          "run file {}: cutting {} bytes of a commit a crash interrupted ({}); the run "
              + "goes on from its last complete commit, version {}",
          file,
          log.tornBytes(),
          log.tornReason(),
          current.version());
    }
  }

  private StoreException notInStore(String runId) {
    return new StoreException("run " + runId + " is not in the store " + dir, null);
  }

  /** The run's file, checked; empty when absent; a corrupt file is a StoreException. */
  private Optional<FileRecords.Stored> readRun(String runId) throws IOException {
    return read(runId, FileRecords::readRun);
  }

  /** Reads a run's file. */
  private interface Reader {
    FileRecords.Stored read(Path file) throws IOException, ChecksummedFile.Corrupt;
  }

  private Optional<FileRecords.Stored> read(String runId, Reader reader) throws IOException {
    Path file = dir.resolve(FileRecords.runFileName(runId));
    try {
      FileRecords.Stored found = reader.read(file);
      if (found.run() == null || found.run().runId().equals(runId)) {
        return Optional.of(found);
      }
      // Another run's frames: the file was recycled (retention made it a spare, a creation took
      // it) between this read's open and its read. Under the run's lock, which retention holds
      // while it recycles, the path holds the run's own file or none.
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (ChecksummedFile.Corrupt first) {
      // Perhaps a run being created in place, its first frame half written: its creator holds
      // the run's lock until the frame is whole (reentrant when this thread holds it already).
    }
    return lock.run(
        runId,
        () -> {
          try {
            return Optional.of(reader.read(file));
          } catch (NoSuchFileException e) {
            return Optional.empty();
          } catch (ChecksummedFile.Corrupt e) {
            throw corrupt(file, e);
          }
        });
  }

  /** Every readable run matching {@code filter}; corrupt files are reported and skipped. */
  private List<RunRecord> scan(Predicate<RunRecord> filter) throws IOException {
    var out = new ArrayList<RunRecord>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.run")) {
      for (Path file : files) {
        readOrReport(file).filter(filter).ifPresent(out::add);
      }
    }
    return out;
  }

  /** The run in {@code file}; empty when it was deleted meanwhile or is corrupt (reported once). */
  private Optional<RunRecord> readOrReport(Path file) throws IOException {
    String name = file.getFileName().toString();
    try {
      RunRecord run = FileRecords.readRun(file).run();
      if (name.equals(FileRecords.runFileName(run.runId()))) {
        return Optional.of(run);
      }
      // Another run's frames: recycled between this read's open and its read (see read).
    } catch (NoSuchFileException e) {
      // Deleted by retention meanwhile.
      return Optional.empty();
    } catch (ChecksummedFile.Corrupt first) {
      // Perhaps a run being created in place (see read).
    }
    // Under the lock its creator and retention hold: the run's, named by the file's name, or for
    // a hashed name the directory lock (creators of such runs hold it too). Callers hold no run
    // lock, and the directory lock comes before a run's.
    String runId = FileRecords.runIdOfName(name);
    return runId != null
        ? lock.run(runId, () -> readOrReportNow(file))
        : lock.directory(() -> readOrReportNow(file));
  }

  private Optional<RunRecord> readOrReportNow(Path file) throws IOException {
    try {
      return Optional.of(FileRecords.readRun(file).run());
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (ChecksummedFile.Corrupt e) {
      String id = file + "@" + Files.size(file) + "@" + Files.getLastModifiedTime(file);
      if (reported.add(id)) {
        LOG.warn("{}; skipped", corrupt(file, e).getMessage());
      }
      return Optional.empty();
    }
  }

  private StoreException corrupt(Path file, ChecksummedFile.Corrupt e) {
    String fix =
        "restore "
            + file
            + " from a backup, or move it out of "
            + dir
            + " to forget that run; other runs are not affected";
    return new StoreException(
        "run file "
            + file
            + " is corrupt ("
            + e.getMessage()
            + ") and is not read as a valid state; fix: "
            + fix,
        fix,
        null);
  }

  private <T> T locked(String runId, DirectoryLock.IoWork<T> work) {
    return wrap(() -> lock.run(runId, work));
  }

  /** {@link #wrap} as a call of the store's API (see {@link #call}). */
  private <T> T guarded(DirectoryLock.IoWork<T> work) {
    return call(() -> wrap(work));
  }

  /**
   * Runs {@code work}, its I/O errors as a {@link StoreException}. Inside a call of the store's API
   * only ({@link #call} or {@link #guarded}), which has entered the gate once.
   */
  private <T> T wrap(DirectoryLock.IoWork<T> work) {
    try {
      return work.run();
    } catch (IOException e) {
      throw new StoreException(
          "execution store "
              + dir
              + " failed: "
              + FileRecords.describe(e)
              + "; check that the directory exists, is writable and the disk has space",
          e);
    }
  }

  /** Reservations live in {@code reservations/} of the store's directory (see FileReservations). */
  @Override
  public Optional<dev.opsflow.workflow.spi.Reservations> reservations() {
    return call(() -> Optional.of(new FileReservations(dir.resolve("reservations"))));
  }
}
