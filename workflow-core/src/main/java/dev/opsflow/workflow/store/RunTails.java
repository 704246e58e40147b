package dev.opsflow.workflow.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link FileExecutionStore} last wrote at the end of each run file (version, size, inode,
 * modification time), so that a commit need not read the file again when no one else changed it:
 * every append makes the file longer, so another writer shows in its size or time. Bounded (the
 * least recently used entries go); thread-safe.
 */
final class RunTails {
  private static final int MAX = 4096;

  /** The end of a run file as this store left it. */
  record Tail(Object fileKey, long size, FileTime modified, long version) {}

  private final Map<String, Tail> tails =
      Collections.synchronizedMap(
          new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Tail> eldest) {
              return size() > MAX;
            }
          });

  /** The tail of {@code runId}'s file if the file is still as this store left it, else null. */
  Tail ifUnchanged(String runId, BasicFileAttributes now) {
    Tail t = tails.get(runId);
    if (t != null
        && t.size() == now.size()
        && t.modified().equals(now.lastModifiedTime())
        && Objects.equals(t.fileKey(), now.fileKey())) {
      return t;
    }
    return null;
  }

  /** Remembers {@code file} as it is now, at {@code version}; call holding the run's lock. */
  void remember(String runId, Path file, long version) throws IOException {
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
    if (a.fileKey() == null) {
      return;
    }
    tails.put(runId, new Tail(a.fileKey(), a.size(), a.lastModifiedTime(), version));
  }

  void forget(String runId) {
    tails.remove(runId);
  }
}
