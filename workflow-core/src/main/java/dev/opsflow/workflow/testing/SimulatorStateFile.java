package dev.opsflow.workflow.testing;

import dev.opsflow.workflow.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The file in a state directory where a simulator keeps its state as JSON, so that a restarted
 * simulator meets the same cluster, account or rack. Each {@link #write} replaces the file
 * atomically (a temp file, fsync, then a rename), so a crash leaves the old or the new state, never
 * half of one; a write of the same bytes as the last one is skipped. Thread-safe.
 */
public final class SimulatorStateFile {
  private final Path file;
  private byte[] last;

  private SimulatorStateFile(Path file) {
    this.file = file;
  }

  /**
   * The file {@code name}.json in {@code directory}, which is created if absent.
   *
   * @param directory where the file lives
   * @param name the file's name without {@code .json}
   * @return the state file; nothing is read or written yet
   * @throws IllegalArgumentException if {@code directory} exists and is not a directory
   * @throws UncheckedIOException if it cannot be created
   */
  public static SimulatorStateFile in(Path directory, String name) {
    Objects.requireNonNull(directory, "directory must not be null");
    if (name == null || !name.matches("[a-z0-9-]+")) {
      throw new IllegalArgumentException(
          "name must be lower-case letters, digits, '-'; was " + name);
    }
    if (Files.exists(directory) && !Files.isDirectory(directory)) {
      throw new IllegalArgumentException("state directory " + directory + " is not a directory");
    }
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the state directory " + directory, e);
    }
    return new SimulatorStateFile(directory.resolve(name + ".json"));
  }

  /** {@return where the state lives} */
  public Path path() {
    return file;
  }

  /**
   * {@return the state last written, or empty when there is none yet}
   *
   * @throws IllegalStateException if the file is not valid JSON (it is left for a person to see)
   */
  public synchronized Optional<JsonNode> read() {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      byte[] bytes = Files.readAllBytes(file);
      JsonNode state = Json.mapper().readTree(bytes);
      last = bytes;
      return Optional.of(state);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the simulator state " + file, e);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "the simulator state " + file + " is not valid JSON; move it away to start afresh", e);
    }
  }

  /**
   * Replaces the stored state with {@code state}.
   *
   * @param state the state, written as JSON (atomically: a crash leaves the old or the new)
   * @throws UncheckedIOException if it cannot be written
   */
  public synchronized void write(Object state) {
    byte[] bytes = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(state);
    if (Arrays.equals(bytes, last)) {
      return;
    }
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      try (FileChannel out =
          FileChannel.open(
              temp,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        out.write(java.nio.ByteBuffer.wrap(bytes));
        out.force(true);
      }
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      last = bytes;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the simulator state " + file, e);
    }
  }
}
