package dev.opsflow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Files the benchmarks make for themselves. */
public final class BenchFiles {
  private BenchFiles() {}

  /**
   * Deletes {@code dir} and everything under it, deepest first; nothing when it does not exist. A
   * file another process still writes may survive: benchmarks delete what they made when done.
   *
   * @param dir the directory to delete
   * @throws IOException when it cannot be listed
   */
  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
