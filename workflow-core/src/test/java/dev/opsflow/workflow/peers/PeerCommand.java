package dev.opsflow.workflow.peers;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a short-lived command with a bounded wait, its output captured in temp files (not pipes, so
 * a daemon forked by the command cannot keep a read blocked).
 *
 * <p>Secrets go into {@code env} or {@code stdin}, never into {@code command}: a command line is
 * visible to every user of the machine.
 */
public final class PeerCommand {

  /** Outcome of a finished command. */
  public record Result(List<String> command, int exitCode, String stdout, String stderr) {

    /** Whether the command exited with 0. */
    public boolean ok() {
      return exitCode == 0;
    }

    /** Returns this result when it exited with 0, otherwise throws with its output. */
    public Result orThrow() {
      if (!ok()) {
        throw new IllegalStateException(describe());
      }
      return this;
    }

    /** The command, its exit code and its output, for failure messages. */
    public String describe() {
      return command + " exited with " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr;
    }
  }

  private PeerCommand() {}

  /** Runs {@code command} with no extra environment and no input. */
  public static Result run(Duration timeout, String... command) {
    return run(List.of(command), Map.of(), null, null, timeout);
  }

  /**
   * Runs {@code command} and waits at most {@code timeout} for it to exit.
   *
   * @param env variables added to this JVM's environment, for the child only
   * @param workDir working directory, or null for this JVM's
   * @param stdin text written to its standard input, or null for none
   * @throws IllegalStateException when it does not exit in time (it is killed first)
   */
  public static Result run(
      List<String> command, Map<String, String> env, Path workDir, String stdin, Duration timeout) {
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile("opsflow-cmd-", ".out");
      err = Files.createTempFile("opsflow-cmd-", ".err");
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      if (workDir != null) {
        builder.directory(workDir.toFile());
      }
      builder.environment().putAll(env);
      Process process = builder.start();
      try (OutputStream in = process.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        // The command exited without reading its input; its exit code tells the rest.
      }
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
        throw new IllegalStateException(
            command
                + " did not exit within "
                + timeout.toSeconds()
                + " s\nstdout: "
                + Files.readString(out)
                + "\nstderr: "
                + Files.readString(err));
      }
      return new Result(
          List.copyOf(command), process.exitValue(), Files.readString(out), Files.readString(err));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // A leftover temp file is harmless.
      }
    }
  }
}
