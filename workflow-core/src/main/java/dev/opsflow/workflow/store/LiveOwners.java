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
import java.util.regex.Pattern;

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
  private static final Pattern PROCESS_ID = Pattern.compile("[0-9a-f]{32}");
  private static final java.util.Map<Path, LiveOwners> SHARED = new ConcurrentHashMap<>();

  /** Every process id this JVM ever locked: their files are never opened by this JVM again. */
  private static final Set<String> OURS = ConcurrentHashMap.newKeySet();

  private final Path owners;
  private final String processId = UUID.randomUUID().toString().replace("-", "");
  private final Set<String> registered = ConcurrentHashMap.newKeySet();
  private FileChannel held;

  private LiveOwners(Path dir) {
    this.owners = dir.resolve(DIR);
  }

  /** The owners of the directory {@code realDir}, shared by every store of this JVM on it. */
  static LiveOwners of(Path realDir) {
    return SHARED.computeIfAbsent(realDir, LiveOwners::new);
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
      Path tmp = owners.resolve("." + UUID.randomUUID() + ".tmp");
      try {
        Files.write(
            tmp,
            (processId + "\n").getBytes(StandardCharsets.US_ASCII),
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
    Files.createDirectories(owners);
    Path tmp = owners.resolve("." + processId + ".tmp");
    OURS.add(processId);
    FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      if (ch.tryLock(0, 1, false) == null) {
        throw new IOException("cannot lock the new file " + tmp);
      }
      Files.move(tmp, owners.resolve(processId + ".alive"), StandardCopyOption.ATOMIC_MOVE);
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
        OURS.remove(gone.processId);
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
    if (!PROCESS_ID.matcher(named).matches()) {
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

  static String ownerFileName(String owner) {
    return FileRecords.sha256(owner) + ".owner";
  }
}
