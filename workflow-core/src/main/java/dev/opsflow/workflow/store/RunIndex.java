package dev.opsflow.workflow.store;

import dev.opsflow.workflow.spi.RunQuery;
import dev.opsflow.workflow.spi.RunRecord;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What {@link FileExecutionStore#query} filters and orders on (id, workflow, state, creation time,
 * idempotency key) for every run file of the directory, kept in memory so that a query reads only
 * the files of the runs it returns, not every run file.
 *
 * <p>Each query lists the directory's file names (runs created or deleted by anyone show there). A
 * finished run's file never changes again (the store refuses commits and claims of a finished run),
 * so its entry is trusted without touching the file; an unfinished run's file is checked by size
 * and inode (every writer appends, so another process's commit shows in the size) and read again
 * when it changed. About 60 bytes of summary per run. Thread-safe.
 */
final class RunIndex {
  /** Reads a run file; empty when it vanished or is corrupt (the reader reports that). */
  interface Reader {
    Optional<RunRecord> read(Path file) throws IOException;
  }

  private record Entry(RunRecord summary, Object fileKey, long size) {}

  private final Path dir;
  private final Reader reader;
  private final Map<String, Entry> entries = new HashMap<>();

  RunIndex(Path dir, Reader reader) {
    this.dir = dir;
    this.reader = reader;
  }

  /** The files of the runs matching {@code query}, in its order, at most its limit. */
  synchronized List<Path> select(RunQuery query) throws IOException {
    refresh();
    var matching = new ArrayList<RunRecord>();
    for (Entry e : entries.values()) {
      if (query.matches(e.summary())) {
        matching.add(e.summary());
      }
    }
    matching.sort(RunQuery.NEWEST_FIRST);
    var out = new ArrayList<Path>();
    for (RunRecord r : matching.subList(0, Math.min(query.limit(), matching.size()))) {
      out.add(dir.resolve(FileRecords.runFileName(r.runId())));
    }
    return out;
  }

  private void refresh() throws IOException {
    Set<String> present = new HashSet<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.run")) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        present.add(name);
        Entry known = entries.get(name);
        if (known != null && known.summary().state().isFinished()) {
          continue;
        }
        try {
          BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
          if (known != null
              && known.size() == attrs.size()
              && known.fileKey() != null
              && known.fileKey().equals(attrs.fileKey())) {
            continue;
          }
          Optional<RunRecord> run = reader.read(file);
          if (run.isPresent()) {
            entries.put(name, new Entry(summary(run.get()), attrs.fileKey(), attrs.size()));
          } else {
            entries.remove(name);
          }
        } catch (NoSuchFileException e) {
          present.remove(name);
        }
      }
    }
    entries.keySet().retainAll(present);
  }

  private static RunRecord summary(RunRecord r) {
    return new RunRecord(
        r.runId(),
        r.workflow(),
        0,
        null,
        r.idempotencyKey(),
        r.state(),
        false,
        false,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        r.createdAt(),
        null,
        0);
  }
}
