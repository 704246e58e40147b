package dev.opsflow.workflow.testing;

import dev.opsflow.workflow.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * A simulator's main class run as its own JVM, as a user runs it ({@code java -cp ... Main}), for
 * tests: waits for its ready line, and stops it with SIGTERM. Standard error goes to a file in the
 * test's directory; standard output is kept to check it holds the ready line and nothing else.
 */
public final class StandaloneProcess implements AutoCloseable {
  private final Process process;
  private final JsonNode ready;
  private final CompletableFuture<List<String>> rest;

  private StandaloneProcess(Process process, JsonNode ready, CompletableFuture<List<String>> rest) {
    this.process = process;
    this.ready = ready;
    this.rest = rest;
  }

  /** Starts {@code mainClass} with this JVM's class path and waits (up to 60 s) for its line. */
  public static StandaloneProcess start(Path dir, String mainClass, String... args) {
    var command = new ArrayList<String>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(List.of(args));
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectError(dir.resolve("stderr-" + System.nanoTime() + ".log").toFile())
              .start();
      var out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      CompletableFuture<String> first =
          CompletableFuture.supplyAsync(() -> readLine(out), StandaloneProcess::reader);
      String line;
      try {
        line = first.get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        p.destroyForcibly();
        throw new IllegalStateException("no ready line from " + mainClass, e);
      }
      if (line == null) {
        p.waitFor(10, TimeUnit.SECONDS);
        throw new IllegalStateException(
            mainClass + " exited with " + p.exitValue() + " before it was ready");
      }
      CompletableFuture<List<String>> rest =
          CompletableFuture.supplyAsync(
              () -> {
                var lines = new ArrayList<String>();
                for (String l = readLine(out); l != null; l = readLine(out)) {
                  lines.add(l);
                }
                return lines;
              },
              StandaloneProcess::reader);
      return new StandaloneProcess(p, Json.mapper().readTree(line), rest);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads a child's output on a thread of its own: the common pool may have one thread on a small
   * machine (JDK 25 uses it there), and a child's reader holds it until the child exits, so the
   * next child's ready line would never be read.
   */
  private static void reader(Runnable task) {
    Thread t = new Thread(task, "standalone-process-reader");
    t.setDaemon(true);
    t.start();
  }

  /** Runs {@code mainClass} to its end (for bad options); returns its exit status. */
  public static int runToExit(Path dir, String mainClass, String... args) throws Exception {
    var command = new ArrayList<String>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command)
            .redirectError(dir.resolve("stderr-exit.log").toFile())
            .redirectOutput(dir.resolve("stdout-exit.log").toFile())
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(mainClass + " did not exit");
    }
    return p.exitValue();
  }

  /** The ready line. */
  public JsonNode ready() {
    return ready;
  }

  /**
   * Sends SIGTERM and waits for the exit; returns what the process wrote on standard output after
   * its ready line (nothing, when it behaves).
   */
  public List<String> stop() throws Exception {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("the simulator did not stop on SIGTERM");
    }
    return rest.get(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }

  private static String readLine(BufferedReader reader) {
    try {
      return reader.readLine();
    } catch (IOException e) {
      return null;
    }
  }
}
