package dev.opsflow.workflow.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The file store's cancel requests: a file {@code <run file>.cancel} beside the run's file, holding
 * when it was asked (and a line {@code rollback} when the run is to be rolled back). A file of its
 * own, not a frame of the run's file, so the canceller never competes with the executing engine's
 * optimistic commits; the {@code *.run} scans never see it.
 */
final class FileCancelRequests {
  private static final String ROLLBACK = "rollback";

  private FileCancelRequests() {}

  static Path file(Path dir, String runId) {
    return dir.resolve(fileName(runId));
  }

  static String fileName(String runId) {
    return FileRecords.runFileName(runId) + ".cancel";
  }

  /** Writes the request atomically (temp file, fsync, rename, fsync of the directory). */
  static void write(Path dir, String runId, Instant at) throws IOException {
    write(dir, runId, at, false);
  }

  /** Writes the request; {@code rollback} adds a second line {@value #ROLLBACK}. */
  static void write(Path dir, String runId, Instant at, boolean rollback) throws IOException {
    String text = at + "\n" + (rollback ? ROLLBACK + "\n" : "");
    ChecksummedFile.replace(dir, fileName(runId), text.getBytes(StandardCharsets.UTF_8));
  }

  /** Whether the request asks to roll the run back (its second line). */
  static boolean rollback(Path dir, String runId) throws IOException {
    try {
      return Files.readAllLines(file(dir, runId), StandardCharsets.UTF_8).contains(ROLLBACK);
    } catch (java.nio.file.NoSuchFileException e) {
      return false;
    }
  }

  static boolean exists(Path dir, String runId) {
    return Files.exists(file(dir, runId));
  }

  static void delete(Path dir, String runId) throws IOException {
    Files.deleteIfExists(file(dir, runId));
  }
}
