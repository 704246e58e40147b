package dev.opsflow.workflow.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The locks of a {@link FileExecutionStore} directory: OS byte-range locks ({@code fcntl}) on its
 * {@code .lock} file exclude other processes, and JVM-wide locks mirror them because an OS lock
 * does not exclude threads of the same process. Byte 0 is the directory lock (creating runs and
 * keys, retention); byte {@code 1 + bucket} locks the runs whose id hashes to that bucket (commit,
 * claim), so commits of different runs, and their fsyncs, proceed in parallel. Order: the directory
 * lock before a run lock, never the other way.
 *
 * <p>The lock file's channel stays open for the JVM's life: closing any channel on a file drops
 * every lock the JVM holds on it.
 */
final class DirectoryLock {
  private static final int BUCKETS = 1024;
  private static final Map<Path, Shared> SHARED = new ConcurrentHashMap<>();

  private final Shared shared;

  private DirectoryLock(Shared shared) {
    this.shared = shared;
  }

  /** The locks of {@code realDir}, shared by every store instance of this JVM on it. */
  static DirectoryLock of(Path realDir) throws IOException {
    Path lockFile = realDir.resolve(".lock");
    synchronized (SHARED) {
      Shared s = SHARED.get(realDir);
      if (s == null || !s.isCurrent(lockFile)) {
        // New, or the directory was recreated: lock the file that is there now.
        s = new Shared(lockFile);
        SHARED.put(realDir, s);
      }
      return new DirectoryLock(s);
    }
  }

  /**
   * Closes the lock file's channel of {@code realDir} and forgets it, when the last store of this
   * JVM on the directory closes (no lock of it is held then); a store opened later locks afresh.
   *
   * @throws IOException if the channel cannot be closed
   */
  static void release(Path realDir) throws IOException {
    Shared s;
    synchronized (SHARED) {
      s = SHARED.remove(realDir);
    }
    if (s != null) {
      s.channel.close();
    }
  }

  /** Work under a lock that may fail with an I/O error. */
  @FunctionalInterface
  interface IoWork<T> {
    T run() throws IOException;
  }

  /** Runs {@code work} holding the directory lock. */
  <T> T directory(IoWork<T> work) throws IOException {
    return locked(shared.directory, 0, work);
  }

  /** Runs {@code work} holding the lock of run {@code runId}. */
  <T> T run(String runId, IoWork<T> work) throws IOException {
    int bucket = Math.floorMod(runId.hashCode(), BUCKETS);
    return locked(shared.buckets[bucket], 1 + bucket, work);
  }

  private <T> T locked(ReentrantLock local, long position, IoWork<T> work) throws IOException {
    local.lock();
    // A thread's pending interrupt (an executor's shutdownNow, a cancel) would close the channel
    // of the first file operation it meets: the lock file's, shared by every store on the
    // directory in this JVM (dropping all their locks), or a run file's in mid-commit. The
    // commit goes on, and the interrupt is kept for the caller.
    boolean interrupted = local.getHoldCount() == 1 && Thread.interrupted();
    try {
      if (local.getHoldCount() > 1) {
        return work.run();
      }
      FileLock os = shared.lock(position);
      try {
        return work.run();
      } finally {
        os.release();
      }
    } finally {
      local.unlock();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static final class Shared {
    private volatile FileChannel channel;
    private final Path lockFile;
    final Object fileKey;
    final ReentrantLock directory = new ReentrantLock();
    final ReentrantLock[] buckets = new ReentrantLock[BUCKETS];

    Shared(Path lockFile) throws IOException {
      this.lockFile = lockFile;
      this.channel =
          FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      this.fileKey =
          Files.readAttributes(lockFile, java.nio.file.attribute.BasicFileAttributes.class)
              .fileKey();
      for (int i = 0; i < BUCKETS; i++) {
        buckets[i] = new ReentrantLock();
      }
    }

    /**
     * Locks byte {@code position} of the lock file, reopening its channel if an interrupt in the
     * middle of a lock call closed it (the JVM's other locks on the file went with it; the JVM-wide
     * locks still exclude this process's threads).
     */
    FileLock lock(long position) throws IOException {
      try {
        return channel.lock(position, 1, false);
      } catch (java.nio.channels.ClosedChannelException e) {
        boolean interrupted = Thread.interrupted();
        try {
          synchronized (this) {
            if (!channel.isOpen()) {
              channel =
                  FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            }
          }
          return channel.lock(position, 1, false);
        } finally {
          if (interrupted) {
            Thread.currentThread().interrupt();
          }
        }
      }
    }

    boolean isCurrent(Path lockFile) {
      try {
        return channel.isOpen()
            && Objects.equals(
                fileKey,
                Files.readAttributes(lockFile, java.nio.file.attribute.BasicFileAttributes.class)
                    .fileKey());
      } catch (IOException e) {
        return false;
      }
    }
  }
}
