package dev.opsflow.workflow.store;

import dev.opsflow.workflow.spi.RunQuery;
import dev.opsflow.workflow.spi.RunRecord;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@link FileExecutionStore#query} filters and orders on (id, workflow, state, creation time,
 * idempotency key) for every run file of the directory, kept in memory in the query's order, so
 * that a query walks from its cursor to its limit and reads only the files of the runs it returns.
 *
 * <p>Runs created or deleted by anyone show in the directory: it is listed again when its
 * modification time moved, or is too recent to tell (a change in the same clock tick as the last
 * listing would not move it). A finished run's file never changes again (the store refuses commits
 * and claims of a finished run), so its entry is trusted without touching the file; an unfinished
 * run's file is checked by size and inode at every query (every writer appends, so another
 * process's commit shows in the size) and read again when it changed. About 100 bytes per run.
 * Thread-safe.
 */
final class RunIndex {
  /** A directory changed this recently is listed again: a file system's clock tick is finer. */
  private static final Duration RACY = Duration.ofSeconds(2);

  /** Reads a run file; empty when it vanished or is corrupt (the reader reports that). */
  interface Reader {
    Optional<RunRecord> read(Path file) throws IOException;
  }

  private record Entry(RunRecord summary, Object fileKey, long size) {}

  private final Path dir;
  private final Reader reader;
  private final Map<String, Entry> entries = new HashMap<>();
  private final NavigableSet<RunRecord> ordered = new TreeSet<>(RunQuery.NEWEST_FIRST);
  private final Set<String> unfinished = new HashSet<>();

  /** The directory's modification time at the last listing, if it was settled then. */
  private FileTime listed;

  RunIndex(Path dir, Reader reader) {
    this.dir = dir;
    this.reader = reader;
  }

  /** The files of the runs matching {@code query}, in its order, at most its limit. */
  synchronized List<Path> select(RunQuery query) throws IOException {
    refresh();
    Iterable<RunRecord> from =
        query.after() == null
            ? ordered
            : ordered.tailSet(
                summary(query.after().runId(), null, null, null, query.after().createdAt()), false);
    var out = new ArrayList<Path>();
    for (RunRecord r : from) {
      if (out.size() == query.limit()) {
        break;
      }
      if (query.matches(r)) {
        out.add(dir.resolve(FileRecords.runFileName(r.runId())));
      }
    }
    return out;
  }

  private void refresh() throws IOException {
    Instant now = Instant.now();
    FileTime modified = Files.getLastModifiedTime(dir);
    if (listed == null || !modified.equals(listed)) {
      list();
      // Trusted next time only if the directory had settled before this listing began: a change
      // after it then has a later time for sure.
      listed = modified.toInstant().isBefore(now.minus(RACY)) ? modified : null;
    }
    for (String name : new ArrayList<>(unfinished)) {
      check(dir.resolve(name), name);
    }
  }

  private void list() throws IOException {
    Set<String> present = new HashSet<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.run")) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        present.add(name);
        if (!entries.containsKey(name)) {
          check(file, name);
        }
      }
    }
    for (String name : new ArrayList<>(entries.keySet())) {
      if (!present.contains(name)) {
        forget(name);
      }
    }
  }

  /** Reads the file again unless it is as last seen; forgets it when it is gone or unreadable. */
  private void check(Path file, String name) throws IOException {
    Entry known = entries.get(name);
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      forget(name);
      return;
    }
    if (known != null
        && known.size() == attrs.size()
        && known.fileKey() != null
        && known.fileKey().equals(attrs.fileKey())) {
      return;
    }
    Optional<RunRecord> run = reader.read(file);
    forget(name);
    if (run.isPresent()) {
      RunRecord r = run.get();
      RunRecord s = summary(r.runId(), r.workflow(), r.idempotencyKey(), r.state(), r.createdAt());
      entries.put(name, new Entry(s, attrs.fileKey(), attrs.size()));
      ordered.add(s);
      if (!r.state().isFinished()) {
        unfinished.add(name);
      }
    }
  }

  private void forget(String name) {
    Entry old = entries.remove(name);
    if (old != null) {
      ordered.remove(old.summary());
    }
    unfinished.remove(name);
  }

  private static RunRecord summary(
      String runId,
      String workflow,
      String idempotencyKey,
      dev.opsflow.workflow.RunState state,
      Instant createdAt) {
    return new RunRecord(
        runId,
        workflow,
        0,
        null,
        idempotencyKey,
        state,
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
        createdAt,
        null,
        0);
  }
}
