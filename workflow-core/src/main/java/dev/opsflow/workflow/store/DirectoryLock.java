package dev.opsflow.workflow.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one lock of a {@link FileExecutionStore} directory, held for every change: an OS file lock
 * ({@code fcntl}) on {@code .lock} for other processes, and a JVM-wide lock per directory because
 * an OS lock does not exclude threads of the same process (and two store instances in one JVM on
 * one directory must exclude each other too).
 */
final class DirectoryLock {
  private static final Map<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();

  private final Path lockFile;
  private final ReentrantLock local;

  DirectoryLock(Path realDir) {
    this.lockFile = realDir.resolve(".lock");
    this.local = IN_JVM.computeIfAbsent(realDir, d -> new ReentrantLock());
  }

  /** Work under the lock that may fail with an I/O error. */
  @FunctionalInterface
  interface IoWork<T> {
    T run() throws IOException;
  }

  /** Runs {@code work} holding the lock; blocks until the lock is free. */
  <T> T run(IoWork<T> work) throws IOException {
    local.lock();
    // Closing a channel drops every lock this JVM holds on the file: we hold it only inside
    // the JVM-wide lock, so no other channel on it is open meanwhile.
    try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
        FileLock ignored = ch.lock()) {
      return work.run();
    } finally {
      local.unlock();
    }
  }
}
