package dev.opsflow.workflow.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link FileExecutionStore} last wrote at the end of each run file (version, size, inode),
 * so that a commit need not read the file again when no one else changed it: every writer of the
 * store only appends to a run file (cutting at most the torn tail of a crashed commit, then
 * appending), so another process's commit always shows in the file's size, and a file replaced or
 * recreated shows in its inode. Beside it, the channels this store keeps open between commits of an
 * unfinished run, so that a commit need not open and close its file: at most {@value #MAX_OPEN}
 * (the least recently used are closed), closed when the run finishes, is deleted, or its file is no
 * longer as this store left it. An open file's inode cannot be reused, so a cached channel whose
 * inode and size match the path's is on the file at that path, as this store left it. Bounded (the
 * least recently used entries go); thread-safe.
 *
 * <p>A channel is used only under its run's lock: {@link #take} removes it from the cache for the
 * length of a commit, so eviction never closes a channel in use.
 */
final class RunTails {
  private static final int MAX = 4096;
  static final int MAX_OPEN = 128;

  /** The end of a run file as this store left it. */
  record Tail(Path file, Object fileKey, long size, long version) {}

  private final Map<String, Tail> tails =
      Collections.synchronizedMap(
          new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Tail> eldest) {
              return size() > MAX;
            }
          });

  private final Map<String, FileChannel> open =
      Collections.synchronizedMap(
          new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, FileChannel> eldest) {
              if (size() > MAX_OPEN) {
                closeQuietly(eldest.getValue());
                return true;
              }
              return false;
            }
          });

  /** What this store remembers of {@code runId}'s file (its path, to save naming it); or null. */
  Tail known(String runId) {
    return tails.get(runId);
  }

  /** {@code t} if the file is still as this store left it (same inode and size), else null. */
  static Tail unchanged(Tail t, BasicFileAttributes now) {
    if (t != null && t.size() == now.size() && Objects.equals(t.fileKey(), now.fileKey())) {
      return t;
    }
    return null;
  }

  /**
   * Remembers {@code file}, of inode {@code fileKey} (null: unknown, read it next time) as ending
   * at {@code end} after the frame of {@code version}, and keeps {@code channel} (if any), open on
   * that file, for the run's next commit. Call holding the run's lock.
   */
  void remember(
      String runId, Path file, Object fileKey, long end, long version, FileChannel channel) {
    if (fileKey == null) {
      forget(runId);
      closeQuietly(channel);
      return;
    }
    tails.put(runId, new Tail(file, fileKey, end, version));
    if (channel != null) {
      FileChannel previous = open.put(runId, channel);
      if (previous != null && previous != channel) {
        closeQuietly(previous);
      }
    }
  }

  /**
   * The open channel of {@code runId}'s file, removed from the cache while the caller uses it (give
   * it back through {@link #remember} or close it); a new channel when none is cached. Call holding
   * the run's lock, only when {@link #unchanged} found the file as this store left it: the cached
   * channel is then on that very file (an open file's inode cannot be reused).
   */
  FileChannel take(String runId, Path file) throws IOException {
    FileChannel ch = open.remove(runId);
    if (ch != null && ch.isOpen()) {
      return ch;
    }
    return FileChannel.open(file, StandardOpenOption.WRITE);
  }

  /** Forgets {@code runId}, closing its channel: it finished, or its file changed or went. */
  void forget(String runId) {
    tails.remove(runId);
    closeQuietly(open.remove(runId));
  }

  /** Closes every channel kept and forgets every run: the store closes. */
  void closeAll() {
    synchronized (open) {
      open.values().forEach(RunTails::closeQuietly);
      open.clear();
    }
    tails.clear();
  }

  static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException e) {
        // Nothing was written through it since its last sync.
      }
    }
  }
}
