package dev.opsflow.workflow.testing;

import dev.opsflow.workflow.Json;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * The command line of a simulator run as a standalone server ({@code java -cp ... XSimulatorMain
 * [--port N] [--mockup DIR] [--state DIR] [--faults LIST]}): it parses the options, starts the
 * simulator, prints exactly one JSON line on standard output when it is ready ({@code kind}, {@code
 * url}, credentials, {@code caCertFile} for TLS ones), sends everything else that the process
 * writes to standard output to standard error instead, and serves until SIGINT or SIGTERM, when it
 * closes the simulator. Every simulator's main class uses it, so they read the same options and
 * print the same kind of line.
 *
 * <p>{@code --faults} takes a comma-separated list of {@code name} or {@code name=value}; each
 * simulator says which names it knows. Bad options exit with status 2 and a message on standard
 * error naming the option, the value and what is expected.
 */
public final class StandaloneSimulator {
  /** The options every simulator takes; simulators may accept more ({@link Options#extra}). */
  public static final Set<String> COMMON = Set.of("port", "state", "faults");

  /**
   * One fault asked for on the command line: {@code name} or {@code name=value}.
   *
   * @param name the fault's name
   * @param value its value, or null
   */
  public record Fault(String name, String value) {
    /**
     * The value, or an error naming the fault when it has none.
     *
     * @param expected what the value should look like, for the message ({@code N}, {@code STATUS})
     * @return the fault's value
     */
    public String requireValue(String expected) {
      if (value == null || value.isEmpty()) {
        throw new IllegalArgumentException(
            "--faults " + name + " needs a value: " + name + "=" + expected);
      }
      return value;
    }

    /**
     * The value as an int in [min, max], or an error naming the fault and the value.
     *
     * @param min the lowest value accepted
     * @param max the highest value accepted
     * @return the fault's value as an int
     */
    public int intValue(int min, int max) {
      String text = requireValue("N");
      try {
        int n = Integer.parseInt(text);
        if (n >= min && n <= max) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException(
          "--faults " + name + "=" + text + ": expected an integer from " + min + " to " + max);
    }

    /**
     * An error for a fault the simulator does not know.
     *
     * @param kind the simulator's kind, for the message
     * @param known the faults the simulator knows
     * @return the error to throw
     */
    public IllegalArgumentException unknown(String kind, Set<String> known) {
      return new IllegalArgumentException(
          "--faults " + name + ": the " + kind + " simulator knows " + String.join(", ", known));
    }
  }

  /**
   * The parsed command line.
   *
   * @param port the port to listen on (0: any free port)
   * @param stateDirectory where state persists, if asked
   * @param faults the faults to inject, in order
   * @param extra the simulator's own options, by name without {@code --}
   */
  public record Options(
      int port, Optional<Path> stateDirectory, List<Fault> faults, Map<String, String> extra) {
    /**
     * A simulator-specific option, if given.
     *
     * @param name the option's name without {@code --}
     * @return its value, or empty when it was not given
     */
    public Optional<String> option(String name) {
      return Optional.ofNullable(extra.get(name));
    }

    /** {@return the {@code --mockup DIR} option, checked to be a directory} */
    public Optional<Path> mockup() {
      return option("mockup").map(Path::of);
    }
  }

  /**
   * A started simulator: what the ready line says, and how to stop it.
   *
   * @param ready what the ready line reports (url, port, credentials...)
   * @param server stops the simulator when closed
   */
  public record Started(Map<String, Object> ready, AutoCloseable server) {}

  /** Starts a simulator from parsed options. */
  @FunctionalInterface
  public interface Starter {
    /**
     * Starts it; an {@link IllegalArgumentException} is reported as a bad option (exit 2).
     *
     * @param options the parsed command line
     * @return the started simulator, with what its ready line reports
     * @throws Exception a failure to start, reported on standard error (exit 1)
     */
    Started start(Options options) throws Exception;
  }

  private StandaloneSimulator() {}

  /**
   * Parses {@code args}: the {@link #COMMON} options and the simulator's {@code extra} ones (each
   * {@code --name value}).
   *
   * @param args the command line
   * @param extra the simulator's own option names, without {@code --}
   * @return the options
   * @throws IllegalArgumentException naming the option, the value and what is expected
   */
  public static Options parse(String[] args, Set<String> extra) {
    var known = new LinkedHashSet<>(COMMON);
    known.addAll(extra);
    var values = new LinkedHashMap<String, String>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg.startsWith("--") ? arg.substring(2) : null;
      String value = null;
      if (name != null && name.contains("=")) {
        value = name.substring(name.indexOf('=') + 1);
        name = name.substring(0, name.indexOf('='));
      }
      if (name == null || !known.contains(name)) {
        throw new IllegalArgumentException(
            "unknown argument "
                + arg
                + "; expected --"
                + String.join(" VALUE, --", known)
                + " VALUE");
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("--" + name + " needs a value");
        }
        value = args[++i];
      }
      if (values.put(name, value) != null) {
        throw new IllegalArgumentException("--" + name + " is given twice");
      }
    }
    int port = port(values.remove("port"));
    Optional<Path> state = Optional.ofNullable(values.remove("state")).map(Path::of);
    if (state.isPresent() && Files.exists(state.get()) && !Files.isDirectory(state.get())) {
      throw new IllegalArgumentException("--state " + state.get() + ": expected a directory");
    }
    List<Fault> faults = faults(values.remove("faults"));
    String mockup = values.get("mockup");
    if (mockup != null && !Files.isDirectory(Path.of(mockup))) {
      throw new IllegalArgumentException("--mockup " + mockup + ": expected a mockup directory");
    }
    return new Options(port, state, faults, Map.copyOf(values));
  }

  /**
   * Runs a simulator until the JVM is asked to stop (SIGINT, SIGTERM): parses {@code args}, starts
   * it with {@code starter}, prints the ready line on the process's standard output and sends
   * anything else written there to standard error. Returns only on bad options (exit status 2), or
   * 1 when it could not start; the caller passes that to {@code System.exit}.
   *
   * @param kind the simulator's kind, first in the ready line
   * @param args the command line
   * @param extra the simulator's own option names
   * @param starter starts the simulator from the options
   * @return the process's exit status: 0 after a stop, 2 for bad options, 1 when it cannot start
   */
  public static int serve(String kind, String[] args, Set<String> extra, Starter starter) {
    PrintStream stdout = System.out;
    System.setOut(System.err);
    Started started;
    try {
      started = starter.start(parse(args, extra));
    } catch (IllegalArgumentException e) {
      System.err.println("simulate " + kind + ": " + e.getMessage());
      System.err.println(usage(kind, extra));
      return 2;
    } catch (Exception e) {
      System.err.println("simulate " + kind + ": cannot start: " + e);
      return 1;
    }
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    started.server().close();
                  } catch (Exception e) {
                    System.err.println("simulate " + kind + ": error while stopping: " + e);
                  }
                  stopped.countDown();
                },
                "simulator-shutdown"));
    stdout.println(readyLine(kind, started.ready()));
    stdout.flush();
    System.err.println("simulate " + kind + ": ready; stop it with Ctrl-C or SIGTERM");
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /**
   * The ready line: one JSON object, {@code kind} first.
   *
   * @param kind the simulator's kind
   * @param ready what the simulator reports (url, port, credentials...)
   * @return the line, without its newline
   */
  public static String readyLine(String kind, Map<String, Object> ready) {
    var line = new LinkedHashMap<String, Object>();
    line.put("kind", kind);
    line.putAll(ready);
    return Json.mapper().writeValueAsString(line);
  }

  /**
   * The usage text for a simulator with these extra options.
   *
   * @param kind the simulator's kind
   * @param extra the simulator's own option names
   * @return the usage text
   */
  public static String usage(String kind, Set<String> extra) {
    var b = new StringBuilder("usage: simulate ").append(kind).append(" [--port N] [--state DIR]");
    extra.forEach(e -> b.append(" [--").append(e).append(" VALUE]"));
    return b.append(" [--faults NAME[=VALUE],...]").toString();
  }

  private static int port(String text) {
    if (text == null) {
      return 0;
    }
    try {
      int port = Integer.parseInt(text);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--port " + text + ": expected 0 to 65535");
  }

  private static List<Fault> faults(String text) {
    var faults = new ArrayList<Fault>();
    if (text == null || text.isBlank()) {
      return faults;
    }
    for (String part : text.split(",")) {
      String p = part.strip();
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      faults.add(eq < 0 ? new Fault(p, null) : new Fault(p.substring(0, eq), p.substring(eq + 1)));
    }
    return List.copyOf(faults);
  }
}
