package dev.opsflow.hardware.ipmi;

import dev.opsflow.workflow.CancelledException;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.WorkflowException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a local process with {@link ProcessBuilder}. Output goes to private temp files rather than
 * pipes, so a chatty process can never block on a full pipe and no reader thread is needed. On
 * timeout the process is killed (forcibly after a short grace) and a TIMEOUT error names the
 * target. The temp dir is owner-only (0700) and deleted at once, since an echoed input such as
 * ipmitool's shell may write a secret to it. Thread-safe.
 */
final class ProcessCommandRunner implements CommandRunner {
  private static final Duration KILL_GRACE = Duration.ofSeconds(2);

  @Override
  public CommandResult run(CommandRequest request) {
    Path dir = null;
    Process process = null;
    long started = System.nanoTime();
    try {
      dir = Files.createTempDirectory("opsflow-cmd-");
      Path out = dir.resolve("stdout");
      Path err = dir.resolve("stderr");
      var builder =
          new ProcessBuilder(request.command())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile());
      builder.environment().putAll(request.environment());
      if (request.stdin() == null) {
        builder.redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
      }
      try {
        process = builder.start();
      } catch (IOException e) {
        throw new WorkflowException(
            ErrorKind.CONFIGURATION,
            "cannot start '"
                + request.command().get(0)
                + "' for "
                + request.target()
                + ": "
                + e.getMessage(),
            e,
            false,
            Map.of("command", request.command().get(0)),
            List.of("install it (Debian: apt-get install ipmitool) or set its path"));
      }
      if (request.stdin() != null) {
        try (OutputStream in = process.getOutputStream()) {
          in.write(request.stdin().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
          // The process exited before reading its input; its exit code and stderr tell why.
        }
      }
      if (!process.waitFor(request.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
        kill(process);
        throw new WorkflowException(
            ErrorKind.TIMEOUT,
            "'"
                + request.commandLine()
                + "' for "
                + request.target()
                + " did not finish within "
                + request.timeout().toMillis()
                + " ms and was killed",
            null,
            true,
            Map.of("target", request.target(), "command", request.commandLine()),
            List.of("check that " + request.target() + " is reachable"));
      }
      return new CommandResult(
          request.commandLine(),
          process.exitValue(),
          request.scrub(Files.readString(out)),
          request.scrub(Files.readString(err)),
          Duration.ofNanos(System.nanoTime() - started));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      if (process != null) {
        kill(process);
      }
      throw new CancelledException(
          "'" + request.commandLine() + "' for " + request.target() + " was interrupted");
    } catch (IOException e) {
      throw new WorkflowException(
          ErrorKind.INTERNAL,
          "cannot capture the output of '" + request.commandLine() + "': " + e.getMessage(),
          e);
    } finally {
      deleteQuietly(dir);
    }
  }

  private static java.io.File nullDevice() {
    return new java.io.File(
        System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }

  private static void kill(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (var files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(file);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // Best effort: the dir is private to this user (0700, as createTempDirectory makes it).
    }
  }
}
