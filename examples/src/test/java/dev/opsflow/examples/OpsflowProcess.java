package dev.opsflow.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real {@code opsflow.jar} in a child JVM, its state and config under a test's directory (its
 * HOME and XDG directories point there: never the user's), stdout and stderr in files.
 */
final class OpsflowProcess {
  private static final AtomicInteger COUNT = new AtomicInteger();

  final Process process;
  final Path stdout;
  final Path stderr;

  private OpsflowProcess(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** The jar the build made (failsafe passes its path). */
  static Path jar() {
    String path = System.getProperty("opsflow.jar");
    if (path == null) {
      throw new IllegalStateException("run as an integration test: -Dopsflow.jar=... is not set");
    }
    return Path.of(path);
  }

  /** Starts {@code opsflow args} with {@code home} as its home and {@code env} added. */
  static OpsflowProcess start(Path home, Map<String, String> env, List<String> args)
      throws IOException {
    int n = COUNT.incrementAndGet();
    var command = new ArrayList<String>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(args);
    var pb = new ProcessBuilder(command);
    pb.environment().remove("OPSFLOW_STORE");
    pb.environment().put("HOME", home.toString());
    pb.environment().put("XDG_STATE_HOME", home.resolve("state").toString());
    pb.environment().put("XDG_CONFIG_HOME", home.resolve("config").toString());
    pb.environment().putAll(env);
    Path out = home.resolve("stdout-" + n + ".txt");
    Path err = home.resolve("stderr-" + n + ".txt");
    pb.redirectOutput(out.toFile());
    pb.redirectError(err.toFile());
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process process = pb.start();
    // A test that fails before it stops its child must not leave it running after the test JVM.
    Runtime.getRuntime()
        .addShutdownHook(new Thread(process::destroyForcibly, "stop-opsflow-child-" + n));
    return new OpsflowProcess(process, out, err);
  }

  /**
   * Waits for the process to end (60 s at most: a bound for a hang) and returns its exit status.
   */
  int exit() throws InterruptedException {
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("opsflow did not end within 60 s; stderr: " + err());
    }
    return process.exitValue();
  }

  String out() {
    return read(stdout);
  }

  String err() {
    return read(stderr);
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(" + e + ")";
    }
  }
}
