package dev.opsflow.workflow.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The file store's cancel requests: a file {@code <run file>.cancel} beside the run's file, holding
 * when it was asked. A file of its own, not a frame of the run's file, so the canceller never
 * competes with the executing engine's optimistic commits; the {@code *.run} scans never see it.
 */
final class FileCancelRequests {
  private FileCancelRequests() {}

  static Path file(Path dir, String runId) {
    return dir.resolve(fileName(runId));
  }

  static String fileName(String runId) {
    return FileRecords.runFileName(runId) + ".cancel";
  }

  /** Writes the request atomically (temp file, fsync, rename, fsync of the directory). */
  static void write(Path dir, String runId, Instant at) throws IOException {
    ChecksummedFile.replace(dir, fileName(runId), (at + "\n").getBytes(StandardCharsets.UTF_8));
  }

  static boolean exists(Path dir, String runId) {
    return Files.exists(file(dir, runId));
  }

  static void delete(Path dir, String runId) throws IOException {
    Files.deleteIfExists(file(dir, runId));
  }
}
