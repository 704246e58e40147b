package dev.opsflow.bench.peers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;

/**
 * Opsflow's systems once more on the code before a change ({@code -Dopsflow.bench.before=<that
 * code's benchmarks.jar>}), so that the interleaved round trips set the code after against the code
 * before trip by trip, as well as against the peers: each such system, named {@code
 * "<name> @before"}, runs this comparison's own drivers ({@code DriverMain} with its serve mode,
 * {@code OpsflowDriver}) in front of the other jar, from which Opsflow's classes and the drivers'
 * libraries come. The drivers use only Opsflow's public API (builder, run, start, the stores'
 * factories), so they run on an older core unchanged.
 */
final class CodeBefore {
  private static final String DRIVERS = "dev/opsflow/bench/peers/";

  private CodeBefore() {}

  /**
   * {@return a system on the code in {@code beforeJar} for each Opsflow system in {@code systems}}
   * A system's command is java, its options, {@code -cp}, its classpath, then the main class and
   * its arguments.
   *
   * @throws IllegalArgumentException if {@code beforeJar} is not a file
   */
  static List<PeerComparison.Sut> systems(List<PeerComparison.Sut> systems, Path beforeJar)
      throws IOException {
    if (!Files.isRegularFile(beforeJar)) {
      throw new IllegalArgumentException(
          "opsflow.bench.before must be the benchmarks.jar of the code before, was: " + beforeJar);
    }
    String classpath =
        drivers() + java.io.File.pathSeparator + beforeJar.toAbsolutePath().normalize();
    var out = new ArrayList<PeerComparison.Sut>();
    for (PeerComparison.Sut s : systems) {
      if (s.name().startsWith("opsflow ")) {
        var command = new ArrayList<>(s.command());
        command.set(command.indexOf("-cp") + 1, classpath);
        out.add(new PeerComparison.Sut(s.name() + " @before", command));
      }
    }
    return out;
  }

  /**
   * {@return where this comparison's driver classes are, alone} The benchmarks jar holds Opsflow
   * too, which must not come before the older code's: its driver classes are copied out of it, to a
   * temporary directory deleted when this JVM ends.
   */
  private static Path drivers() throws IOException {
    Path own;
    try {
      own =
          Path.of(OpsflowDriver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException("the drivers' location is no path", e);
    }
    Path dir = Files.createTempDirectory("opsflow-bench-drivers");
    Path peers = dir.resolve(DRIVERS);
    Files.createDirectories(peers);
    // Deleted at exit in the reverse order of these calls: the files, then their directories.
    var chain = new java.util.ArrayDeque<Path>();
    for (Path d = peers; d.startsWith(dir); d = d.getParent()) {
      chain.push(d);
    }
    chain.forEach(d -> d.toFile().deleteOnExit());
    if (Files.isDirectory(own)) {
      try (var files = Files.list(own.resolve(DRIVERS))) {
        for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
          copy(Files.newInputStream(f), peers.resolve(f.getFileName().toString()));
        }
      }
      return dir;
    }
    try (var jar = new JarFile(own.toFile())) {
      for (var e : (Iterable<java.util.jar.JarEntry>) jar.stream()::iterator) {
        String name = e.getName();
        if (name.startsWith(DRIVERS)
            && name.indexOf('/', DRIVERS.length()) < 0
            && !e.isDirectory()) {
          copy(jar.getInputStream(e), peers.resolve(name.substring(DRIVERS.length())));
        }
      }
    }
    return dir;
  }

  private static void copy(InputStream from, Path to) throws IOException {
    try (from) {
      Files.copy(from, to);
    }
    to.toFile().deleteOnExit();
  }
}
