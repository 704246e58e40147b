package dev.opsflow.workflow.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which owners of a {@link FileExecutionStore} directory are alive, so that a dead owner's runs are
 * taken over at once rather than when their lease runs out.
 *
 * <p>Each JVM that writes runs to the directory holds, for its whole life, an OS lock ({@code
 * fcntl}) on its own file {@code owners/<process id>.alive}; the kernel drops that lock when the
 * process dies, even by {@code kill -9}. Each owner id that writes a run through this JVM is named
 * in {@code owners/<SHA-256 of the owner>.owner}, which holds the process id, written before the
 * owner's first run record. An owner is then:
 *
 * <ul>
 *   <li>{@link Liveness#ALIVE} when it wrote through this JVM, or its process file is locked;
 *   <li>{@link Liveness#DEAD} when its process file is there and unlocked (the process is gone);
 *   <li>{@link Liveness#UNKNOWN} otherwise (no owner file: a store written before these files
 *       existed, or an owner that never wrote here; a file cut by a power loss): the lease decides.
 * </ul>
 *
 * <p>Why it is safe: a process file becomes visible only once locked (it is locked under a temp
 * name and renamed), so a visible, unlocked one belongs to a dead process; an owner's file names
 * its live process before any record of the owner is written. The lock's channel is never used
 * after it is locked, so no interrupt can close it (which would drop the lock while alive); and no
 * other channel of this JVM is opened on this JVM's own process file (closing one would drop the
 * lock too). An owner alive but stuck keeps its file locked: its runs wait for their lease. One
 * owner id must not be used by two live processes at once (the lease has the same rule). Shared by
 * every store instance of the JVM on the directory; thread-safe.
 */
final class LiveOwners {
  /** What is known of an owner's process. */
  enum Liveness {
    ALIVE,
    DEAD,
    UNKNOWN
  }

  static final String DIR = "owners";
  private static final java.util.Map<Path, LiveOwners> SHARED = new ConcurrentHashMap<>();

  /** Every process id this JVM ever locked: their files are never opened by this JVM again. */
  private static final Set<String> OURS = ConcurrentHashMap.newKeySet();

  private final Path dir;
  private final Path owners;
  private final Set<String> registered = ConcurrentHashMap.newKeySet();

  // Guarded by this. The id is drawn with the process file: a random UUID loads the JDK's
  // security providers, tens of ms that a store opened only to be read need not pay.
  private String processId;
  private FileChannel held;
  private boolean closed;

  private LiveOwners(Path dir) {
    this.dir = dir;
    this.owners = dir.resolve(DIR);
  }

  /** The owners of the directory {@code realDir}, shared by every store of this JVM on it. */
  static LiveOwners of(Path realDir) {
    // Not computeIfAbsent with a lambda: a JVM's start-up spins a class for each lambda.
    LiveOwners owners = SHARED.get(realDir);
    if (owners == null) {
      LiveOwners made = new LiveOwners(realDir);
      owners = SHARED.putIfAbsent(realDir, made);
      if (owners == null) {
        owners = made;
      }
    }
    return owners;
  }

  /**
   * Records that {@code owner} lives in this JVM, before its first record is written here: creates
   * and locks this JVM's process file on first use, and names it in the owner's file. No fsync:
   * after a power loss every owner is dead, and a lost or cut file reads as unknown (the lease
   * decides). Call with no interrupt pending (under a {@link DirectoryLock}).
   */
  void register(String owner) throws IOException {
    if (owner == null || registered.contains(owner)) {
      return;
    }
    synchronized (this) {
      if (registered.contains(owner)) {
        return;
      }
      ensureProcessFile();
      Path tmp = owners.resolve(".".concat(UUID.randomUUID().toString()).concat(".tmp"));
      try {
        Files.write(
            tmp,
            processId.concat("\n").getBytes(StandardCharsets.US_ASCII),
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);
        Files.move(
            tmp,
            owners.resolve(ownerFileName(owner)),
            StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(tmp);
        throw e;
      }
      registered.add(owner);
    }
  }

  /**
   * This JVM's process id, its file {@code owners/<process id>.alive} created and locked first if
   * it is not yet: a journal named after the process is written only while that lock is held.
   */
  synchronized String lockedProcessId() throws IOException {
    ensureProcessFile();
    return processId;
  }

  private void ensureProcessFile() throws IOException {
    if (held != null) {
      return;
    }
    if (closed) {
      throw new IOException("the live-owner lock of " + dir + " was released (the store closed)");
    }
    if (processId == null) {
      processId = UUID.randomUUID().toString().replace("-", "");
    }
    Files.createDirectories(owners);
    // String.concat, not +: each shape of + costs a JVM's start-up classes of its own.
    Path tmp = owners.resolve(".".concat(processId).concat(".tmp"));
    OURS.add(processId);
    FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      if (ch.tryLock(0, 1, false) == null) {
        throw new IOException("cannot lock the new file " + tmp);
      }
      Files.move(tmp, owners.resolve(processId.concat(".alive")), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      ch.close();
      Files.deleteIfExists(tmp);
      throw e;
    }
    held = ch;
  }

  /**
   * Whether the JVM of {@code processId} lives: its process file locked (or this JVM's own), dead
   * when the file is there and unlocked or absent (a journal is written only after its process file
   * is locked, so a journal without one belongs to a process that is gone); unknown when it cannot
   * be told (another thread of this JVM is checking it).
   */
  static Liveness process(Path dir, String processId) {
    if (OURS.contains(processId)) {
      return Liveness.ALIVE;
    }
    Path process = dir.resolve(DIR).resolve(processId + ".alive");
    if (!Files.exists(process)) {
      return Liveness.DEAD;
    }
    return lockState(process);
  }

  /**
   * Test seam: this JVM's process on {@code realDir} "dies": its process file's lock is dropped and
   * forgotten, so that a store opened next (with a new process id) sees it as another, dead
   * process. Never called outside tests.
   */
  static void dieForTest(Path realDir) throws IOException {
    LiveOwners gone = SHARED.remove(realDir);
    if (gone != null) {
      synchronized (gone) {
        if (gone.held != null) {
          gone.held.close();
        }
        if (gone.processId != null) {
          OURS.remove(gone.processId);
        }
      }
    }
  }

  /** Whether {@code owner}'s process is alive, dead, or not known (null owner: unknown). */
  Liveness liveness(String owner) {
    if (owner == null) {
      return Liveness.UNKNOWN;
    }
    if (registered.contains(owner)) {
      return Liveness.ALIVE;
    }
    String named;
    try {
      named =
          new String(
                  Files.readAllBytes(owners.resolve(ownerFileName(owner))),
                  StandardCharsets.US_ASCII)
              .strip();
    } catch (IOException e) {
      return Liveness.UNKNOWN;
    }
    if (!isProcessId(named)) {
      return Liveness.UNKNOWN;
    }
    if (OURS.contains(named)) {
      // Never open a channel on a process file of this JVM: closing it would drop our lock.
      return Liveness.ALIVE;
    }
    return lockState(owners.resolve(named + ".alive"));
  }

  private static Liveness lockState(Path process) {
    try (FileChannel ch = FileChannel.open(process, StandardOpenOption.WRITE)) {
      FileLock lock = ch.tryLock(0, 1, false);
      if (lock == null) {
        return Liveness.ALIVE;
      }
      lock.release();
      return Liveness.DEAD;
    } catch (OverlappingFileLockException e) {
      // Another thread of this JVM is checking the same process: ask again later.
      return Liveness.UNKNOWN;
    } catch (IOException e) {
      // Gone (removed by hand), unreadable, or an interrupt: the lease decides.
      return Liveness.UNKNOWN;
    }
  }

  /**
   * Releases this JVM's process file, at the close of the last store of the JVM on the directory:
   * its lock is dropped, so that the owners that wrote here read as dead (their unfinished runs are
   * taken over at once, as after a crash); the file is deleted when no owner file names it (no
   * owner wrote through this JVM: a store opened to be read leaves nothing behind). Call once this
   * JVM's journal on the directory is checkpointed: a journal is replayed as soon as its process
   * reads as dead.
   *
   * @throws IOException if the file cannot be deleted (its lock is dropped all the same)
   */
  synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    SHARED.remove(dir, this);
    if (held == null) {
      return;
    }
    try {
      if (registered.isEmpty()) {
        // Deleted while still locked: no other process ever sees it unlocked.
        Files.deleteIfExists(owners.resolve(processId + ".alive"));
      }
    } finally {
      held.close();
      held = null;
      // From now on this JVM reads that process file like any other (its lock is gone).
      OURS.remove(processId);
    }
  }

  /**
   * Releases this JVM's process file on {@code realDir}, if it has one (see {@link #close}).
   *
   * @param realDir the store directory
   * @return null
   * @throws IOException as {@link #close}
   */
  static Void closeShared(Path realDir) throws IOException {
    LiveOwners owners = SHARED.get(realDir);
    if (owners != null) {
      owners.close();
    }
    return null;
  }

  private static boolean isProcessId(String s) {
    if (s.length() != 32) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  static String ownerFileName(String owner) {
    return FileRecords.sha256(owner).concat(".owner");
  }
}
