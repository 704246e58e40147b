package dev.opsflow.bench.peers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The 3-step round trips of several systems interleaved trip by trip, so that every system sees the
 * same disk at the same moment: one serving JVM per system ({@code DriverMain}'s {@code serve}
 * mode) is started and warmed up, one after the other; then, {@code trips} times, each system in
 * turn does one round trip, in an order that rotates by one system each time (so that none always
 * follows the same one). The JVMs stay alive together for the whole run: a system's idle background
 * work (polling, heartbeats) runs beside the others' trips, as it would beside any other work.
 *
 * <p>A system whose trips have taken 20 s in all leaves the rotation after its fifth trip, as the
 * per-JVM round trip stops after 20 s of samples (a system that polls takes seconds a trip). A
 * system that fails to start, or fails a trip, is reported on stderr and keeps the trips it did.
 * Every JVM started is ended before {@link #run} returns, whatever happened.
 */
final class InterleavedRoundTrips {
  private static final long BUDGET_US = 20_000_000;
  private static final long ANSWER_SECONDS = 120;

  private InterleavedRoundTrips() {}

  /**
   * Runs {@code trips} interleaved round trips of each system.
   *
   * @return each system's round trips in microseconds by trip index (null where it did none), in
   *     the order of {@code systems}; a system that did not start is absent
   */
  static Map<String, Long[]> run(List<PeerComparison.Sut> systems, int trips) throws Exception {
    var servers = new java.util.concurrent.CopyOnWriteArrayList<Server>();
    var byIndex = new LinkedHashMap<String, Long[]>();
    Thread orphans = new Thread(() -> servers.forEach(Server::kill));
    Runtime.getRuntime().addShutdownHook(orphans); // the coordinator interrupted: no orphan JVMs
    try {
      for (PeerComparison.Sut s : systems) {
        System.err.println("serving: " + s.name());
        Server server = new Server(s, trips);
        servers.add(server);
        try {
          server.awaitValue("ready");
          byIndex.put(s.name(), new Long[trips]);
        } catch (IllegalStateException e) {
          System.err.println(e.getMessage());
          server.close();
        }
      }
      List<Server> live = servers.stream().filter(sv -> byIndex.containsKey(sv.name)).toList();
      var spent = new LinkedHashMap<String, Long>();
      for (int i = 0; i < trips; i++) {
        for (int j = 0; j < live.size(); j++) {
          Server server = live.get((i + j) % live.size());
          long used = spent.getOrDefault(server.name, 0L);
          if (!server.isOpen() || (used > BUDGET_US && i >= 5)) {
            server.close();
            continue;
          }
          try {
            long us = server.trip();
            byIndex.get(server.name)[i] = us;
            spent.put(server.name, used + us);
          } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            server.close();
          }
        }
      }
    } finally {
      servers.forEach(Server::close);
      Runtime.getRuntime().removeShutdownHook(orphans);
    }
    return byIndex;
  }

  /**
   * {@return for each trip index where both did a trip, {@code a}'s trip over {@code b}'s} Both
   * were measured in the same rotation, seconds apart at most.
   */
  static List<Double> ratios(Long[] a, Long[] b) {
    var out = new ArrayList<Double>();
    for (int i = 0; a != null && b != null && i < Math.min(a.length, b.length); i++) {
      if (a[i] != null && b[i] != null && b[i] > 0) {
        out.add((double) a[i] / b[i]);
      }
    }
    return out;
  }

  /** {@return the trips done, in index order} */
  static List<Double> done(Long[] trips) {
    return Arrays.stream(trips).filter(java.util.Objects::nonNull).map(Long::doubleValue).toList();
  }

  /** One system's serving JVM: commands on its stdin, its output read by a thread of its own. */
  private static final class Server implements AutoCloseable {
    /** What the reader puts after the output's last line: no line a driver prints. */
    private static final String END = "\u0000end";

    private final String name;
    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Deque<String> tail = new ArrayDeque<>();
    private boolean open = true;

    Server(PeerComparison.Sut system, int warmUp) throws IOException {
      this.name = system.name();
      var command = new ArrayList<>(system.command());
      command.addAll(List.of("serve", Integer.toString(warmUp)));
      // Output and errors in one pipe, drained all the time: a system that logs while it idles
      // must never block on a full pipe.
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
      stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      Thread reader =
          new Thread(
              () -> {
                try (var in =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  in.lines().forEach(lines::add);
                } catch (IOException | java.io.UncheckedIOException e) {
                  lines.add("(output unreadable: " + e.getMessage() + ")");
                }
                lines.add(END);
              },
              "serve-output-" + name);
      reader.setDaemon(true);
      reader.start();
    }

    boolean isOpen() {
      return open;
    }

    /** One round trip: its microseconds, as the driver measured them. */
    long trip() throws InterruptedException {
      try {
        stdin.write("trip\n");
        stdin.flush();
      } catch (IOException e) {
        throw new IllegalStateException(name + " took no command: " + e.getMessage(), e);
      }
      return Long.parseLong(awaitValue("trip_us"));
    }

    /**
     * Reads the output until a line {@code key} or {@code key=value}; returns the value (empty for
     * a bare key). Fails, with the output's last lines, when the JVM ended or took too long.
     */
    String awaitValue(String key) throws InterruptedException {
      while (true) {
        String line = lines.poll(ANSWER_SECONDS, TimeUnit.SECONDS);
        if (line == null || line.equals(END)) {
          throw new IllegalStateException(
              name
                  + (line == null ? " gave no " + key + " in " + ANSWER_SECONDS + " s" : " ended")
                  + ":\n"
                  + String.join("\n", tail));
        }
        if (line.equals(key)) {
          return "";
        }
        if (line.startsWith(key + "=")) {
          return line.substring(key.length() + 1);
        }
        tail.addLast(line);
        if (tail.size() > 30) {
          tail.removeFirst();
        }
      }
    }

    /** Asks the JVM to quit; ends it by force if it has not within 10 s. */
    @Override
    public void close() {
      if (!open) {
        return;
      }
      open = false;
      try {
        stdin.write("quit\n");
        stdin.close();
      } catch (IOException e) {
        // It has ended already, or it will be killed below.
      }
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          kill();
        }
      } catch (InterruptedException e) {
        kill();
        Thread.currentThread().interrupt();
      }
    }

    /** Ends the JVM by force and waits for it. */
    void kill() {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
