package dev.opsflow.workflow.peers;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;

/**
 * Policy and plumbing shared by the real-peer harness.
 *
 * <p>A peer (redis-server, PostgreSQL, sshd, ipmi_sim) is needed when its binary is missing: with
 * the environment variable {@value #REQUIRE_ENV}{@code =1} the test fails with a message naming the
 * binary and the Debian package to install; otherwise the test is aborted through a JUnit
 * assumption, so it reports SKIPPED with that reason.
 *
 * <p>Binaries are looked up in {@code PATH}, then in the directories a caller adds, then in {@code
 * /usr/sbin}, {@code /usr/bin}, {@code /sbin} and {@code /bin}. The system property {@value
 * #SEARCH_PATH_PROPERTY} replaces that whole list (a {@code :}-separated list of directories).
 */
public final class Peers {

  /** Environment variable that turns a missing peer into a failure. */
  public static final String REQUIRE_ENV = "OPSFLOW_REQUIRE_PEERS";

  /** System property that replaces the directories searched for binaries. */
  public static final String SEARCH_PATH_PROPERTY = "opsflow.peers.path";

  private static final List<String> DEFAULT_DIRS =
      List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin");
  private static final SecureRandom RANDOM = new SecureRandom();

  private Peers() {}

  /** Whether {@value #REQUIRE_ENV} is {@code 1}, so missing peers fail instead of skipping. */
  public static boolean required() {
    return "1".equals(System.getenv(REQUIRE_ENV));
  }

  /**
   * Returns the binary {@code name}, or fails/skips through {@link #missing(String, String)}.
   *
   * @param debianPackage the package that provides it, for the message
   * @param extraDirs directories searched after {@code PATH}
   */
  public static Path require(String name, String debianPackage, Path... extraDirs) {
    return find(name, extraDirs)
        .orElseGet(
            () -> missing(name + " (searched " + searchDirs(extraDirs) + ")", debianPackage));
  }

  /** Looks a binary up without any policy; empty when it is not an executable file anywhere. */
  public static Optional<Path> find(String name, Path... extraDirs) {
    for (Path dir : searchDirs(extraDirs)) {
      Path candidate = dir.resolve(name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate.toAbsolutePath());
      }
    }
    return Optional.empty();
  }

  /** The directories {@link #find} searches, in order. */
  public static List<Path> searchDirs(Path... extraDirs) {
    Set<Path> dirs = new LinkedHashSet<>();
    String override = System.getProperty(SEARCH_PATH_PROPERTY);
    if (override != null) {
      split(override, dirs);
      return List.copyOf(dirs);
    }
    split(Optional.ofNullable(System.getenv("PATH")).orElse(""), dirs);
    dirs.addAll(List.of(extraDirs));
    DEFAULT_DIRS.forEach(d -> dirs.add(Path.of(d)));
    return List.copyOf(dirs);
  }

  private static void split(String path, Set<Path> into) {
    for (String part : path.split(File.pathSeparator)) {
      if (!part.isBlank()) {
        into.add(Path.of(part));
      }
    }
  }

  /**
   * Reports a missing prerequisite: throws {@link IllegalStateException} when {@link #required()},
   * otherwise aborts the current test (JUnit reports it SKIPPED). Never returns normally.
   *
   * @param what the missing binary (or account), for the message
   * @param debianPackage the Debian package that provides it
   */
  public static <T> T missing(String what, String debianPackage) {
    return missing(what, debianPackage, required());
  }

  static <T> T missing(String what, String debianPackage, boolean required) {
    String message = what + " is missing; install it with: apt-get install -y " + debianPackage;
    if (required) {
      throw new IllegalStateException(message + " (" + REQUIRE_ENV + "=1 makes this a failure)");
    }
    return Assumptions.abort(message + " (set " + REQUIRE_ENV + "=1 to fail instead of skipping)");
  }

  /** Whether this JVM runs as root (uid 0). */
  public static boolean isRoot() {
    try {
      return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    } catch (RuntimeException | LinkageError e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }

  /** A random secret of URL-safe base64 characters ({@code [A-Za-z0-9_-]}), 24 long. */
  public static String randomSecret() {
    byte[] bytes = new byte[18];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * Polls {@code probe} every 50 ms until it returns {@code true}. An {@link IllegalStateException}
   * from the probe is fatal and propagates; other exceptions mean "not yet".
   *
   * @throws IllegalStateException after {@code timeout}, with {@code diagnostics} in the message
   */
  public static void await(
      String what, Duration timeout, Callable<Boolean> probe, Supplier<String> diagnostics) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (true) {
      try {
        if (Boolean.TRUE.equals(probe.call())) {
          return;
        }
      } catch (IllegalStateException e) {
        throw e;
      } catch (Exception e) {
        last = e;
      }
      if (System.nanoTime() >= deadline) {
        IllegalStateException failure =
            new IllegalStateException(
                what + " not ready after " + timeout.toSeconds() + " s\n" + diagnostics.get());
        if (last != null) {
          failure.addSuppressed(last);
        }
        throw failure;
      }
      pause();
    }
  }

  static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The last {@code maxChars} characters of a text file, or a note that it cannot be read. */
  public static String tail(Path file, int maxChars) {
    try {
      String text = Files.readString(file);
      return "--- "
          + file
          + " ---\n"
          + (text.length() <= maxChars ? text : text.substring(text.length() - maxChars));
    } catch (IOException | UncheckedIOException e) {
      return "(" + file + " unreadable: " + e.getMessage() + ")";
    }
  }

  /** Deletes a directory tree; quietly does nothing when it is already gone. */
  public static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
              if (e instanceof NoSuchFileException) {
                return FileVisitResult.CONTINUE;
              }
              throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              Files.deleteIfExists(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
