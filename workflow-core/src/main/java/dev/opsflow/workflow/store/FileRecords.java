package dev.opsflow.workflow.store;

import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.spi.RunRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectWriter;

/** How {@link FileExecutionStore} names, writes and reads its run and key files. */
final class FileRecords {
  static final ObjectWriter EVENT_WRITER = Json.mapper().writerFor(WorkflowEvent.class);
  static final ObjectWriter RUN_WRITER = Json.mapper().writerFor(RunRecord.class);
  private static final String SAFE_ID = "[A-Za-z0-9_:\\-][A-Za-z0-9_.:\\-]{0,127}";

  private FileRecords() {}

  /**
   * A run file's content: the run of its last complete frame (its first payload line; null when not
   * parsed), the file's bytes and their checked frames (the journal; where a commit appends).
   */
  record Stored(RunRecord run, byte[] bytes, ChecksummedFile.Log log) {
    long version() {
      return log.last().version();
    }
  }

  /** The checked frames of a run file, without parsing its run: enough for a commit. */
  static Stored readFrames(Path file) throws IOException, ChecksummedFile.Corrupt {
    byte[] bytes = Files.readAllBytes(file);
    return new Stored(null, bytes, ChecksummedFile.parse(FileExecutionStore.RUN, bytes));
  }

  /** {@code <runId>.run}, or a hash of an id that is not a safe file name. */
  static String runFileName(String runId) {
    return (runId.matches(SAFE_ID) ? runId : "~" + sha256(runId)) + ".run";
  }

  /** {@code <SHA-256 of the key>.key}: a key may hold any character. */
  static String keyFileName(String key) {
    return sha256(key) + ".key";
  }

  static Stored readRun(Path file) throws IOException, ChecksummedFile.Corrupt {
    byte[] bytes = Files.readAllBytes(file);
    ChecksummedFile.Log log = ChecksummedFile.parse(FileExecutionStore.RUN, bytes);
    ChecksummedFile.Frame last = log.last();
    int end = last.payloadStart() + last.payloadLength();
    int nl = indexOf(bytes, last.payloadStart(), end);
    if (nl < 0) {
      throw new ChecksummedFile.Corrupt("no run line in the last frame");
    }
    try {
      RunRecord run =
          Json.mapper()
              .readValue(bytes, last.payloadStart(), nl - last.payloadStart(), RunRecord.class);
      return new Stored(run, bytes, log);
    } catch (JacksonException e) {
      throw new ChecksummedFile.Corrupt(
          "the run line is not a valid run: " + e.getOriginalMessage());
    }
  }

  /** The journal: the event lines of every frame (each after its frame's run line), in order. */
  static List<WorkflowEvent> events(Stored stored) {
    byte[] b = stored.bytes();
    var out = new ArrayList<WorkflowEvent>();
    for (ChecksummedFile.Frame f : stored.log().frames()) {
      int end = f.payloadStart() + f.payloadLength();
      int start = indexOf(b, f.payloadStart(), end) + 1;
      while (start > 0 && start < end) {
        int nl = indexOf(b, start, end);
        int lineEnd = nl < 0 ? end : nl;
        out.add(Json.mapper().readValue(b, start, lineEnd - start, WorkflowEvent.class));
        start = lineEnd + 1;
      }
    }
    return out;
  }

  /** A frame's payload: the run on the first line, then one event a line. */
  static byte[] frame(RunRecord run, List<WorkflowEvent> events) {
    var out = new ByteArrayOutputStream(4096);
    out.writeBytes(RUN_WRITER.writeValueAsBytes(run));
    out.write('\n');
    for (WorkflowEvent e : events) {
      out.writeBytes(EVENT_WRITER.writeValueAsBytes(e));
      out.write('\n');
    }
    return ChecksummedFile.encode(FileExecutionStore.RUN, run.version(), out.toByteArray());
  }

  /** The run id the key file of {@code key} points at; empty when there is none. */
  static Optional<String> readKey(Path dir, String key) throws IOException {
    Path file = dir.resolve(keyFileName(key));
    try {
      byte[] payload =
          ChecksummedFile.decode(FileExecutionStore.KEY, Files.readAllBytes(file)).payload();
      Map<?, ?> m = Json.mapper().readValue(payload, Map.class);
      if (!key.equals(m.get("key")) || !(m.get("runId") instanceof String id)) {
        throw new ChecksummedFile.Corrupt("it does not hold key '" + key + "'");
      }
      return Optional.of(id);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (ChecksummedFile.Corrupt | JacksonException e) {
      String fix =
          "delete "
              + file
              + " (the key is then free: check first that run with this "
              + "key did not complete)";
      throw new dev.opsflow.workflow.spi.StoreException(
          "idempotency key file " + file + " is corrupt (" + e.getMessage() + "); fix: " + fix,
          fix,
          null);
    }
  }

  static void writeKey(Path dir, String key, String runId) throws IOException {
    byte[] payload = Json.mapper().writeValueAsBytes(Map.of("key", key, "runId", runId));
    ChecksummedFile.replace(
        dir, keyFileName(key), ChecksummedFile.encode(FileExecutionStore.KEY, 0, payload));
  }

  /** Removes the temp files of writes a crash interrupted; call holding the directory lock. */
  static void removeTempFiles(Path dir) throws IOException {
    try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, ".*.tmp")) {
      for (Path t : temps) {
        Files.deleteIfExists(t);
      }
    }
  }

  /** An I/O error in words: the JDK's messages for these are often just a path. */
  static String describe(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied: " + e.getMessage();
    }
    if (e instanceof FileAlreadyExistsException) {
      return "a file that is not a directory is in the way: " + e.getMessage();
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or directory: " + e.getMessage();
    }
    if (e instanceof FileSystemException fse && fse.getReason() != null) {
      return fse.getReason() + ": " + fse.getFile();
    }
    return e.toString();
  }

  private static int indexOf(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
