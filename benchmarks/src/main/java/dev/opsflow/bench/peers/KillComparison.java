package dev.opsflow.bench.peers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Kill -9 in the middle of runs, for Opsflow and its peers side by side: for each system and round,
 * a JVM starts {@code runs} runs of {@link KillWork}'s 5 steps (a line in an effects file, then 20
 * ms), is killed with SIGKILL once 40 % of all steps wrote their line, and a fresh JVM on the same
 * store does what that system does after a crash (Opsflow: {@code recover()}; DBOS: its launch;
 * Spring Batch: recover and restart each execution left running; JobRunr: its server) until every
 * run is complete. Figures: the restarted JVM's time from its start to all runs complete, the steps
 * that ran twice and the steps that never ran (from the effects file). Systems interleaved round by
 * round. PostgreSQL systems (without {@code -Dopsflow.bench.jdbc.url}, left out) each get a schema
 * of their own in that database, dropped and made again before each round.
 *
 * <p>Arguments: rounds (default 3), runs (default 100). Run by {@link PeerComparison} ({@code kill}
 * as its first argument, or after its other figures).
 */
final class KillComparison {
  private KillComparison() {}

  /** One system: its name, its schema on PostgreSQL (or null), and its command before the mode. */
  private record Sut(String name, String schema, List<String> command) {}

  /** What one round of one system gave. */
  private record Result(
      String name, long atKill, long ms, long complete, long twice, long missing) {}

  static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    Path base =
        Files.createTempDirectory(
            Path.of(System.getProperty("opsflow.bench.dir", System.getProperty("java.io.tmpdir"))),
            "opsflow-peer-kill");
    List<Sut> systems = systems();
    String only = System.getProperty("opsflow.bench.only");
    if (only != null) {
      List<String> names = List.of(only.split(","));
      systems = systems.stream().filter(s -> names.contains(s.name())).toList();
    }
    List<Result> results = new ArrayList<>();
    System.out.printf(
        "%-24s %6s %10s %14s %10s %12s %14s%n",
        "kill -9: system", "round", "at kill", "restart ms", "complete", "steps twice", "missing");
    for (int r = 1; r <= rounds; r++) {
      for (Sut s : systems) {
        System.err.printf("kill round %d/%d: %s%n", r, rounds, s.name());
        Path dir = Files.createDirectories(base.resolve(s.name().replace(' ', '-') + "-" + r));
        Result result;
        try {
          result = round(s, dir, runs);
        } catch (IllegalStateException e) {
          System.err.println(s.name() + ": " + e.getMessage());
          continue;
        }
        results.add(result);
        System.out.printf(
            "%-24s %6d %10d %14d %10d %12d %14d%n",
            s.name(),
            r,
            result.atKill(),
            result.ms(),
            result.complete(),
            result.twice(),
            result.missing());
      }
    }
    var medians = new LinkedHashMap<String, Double>();
    for (Sut s : systems) {
      List<Double> ms =
          results.stream()
              .filter(x -> x.name().equals(s.name()))
              .map(x -> (double) x.ms())
              .sorted()
              .toList();
      medians.put(s.name(), ms.isEmpty() ? Double.NaN : ms.get((ms.size() - 1) / 2));
    }
    double file = medians.getOrDefault("opsflow file", Double.NaN);
    System.out.printf(
        "%-24s %18s %16s %14s %14s%n",
        "kill -9: system", "restart ms median", "x opsflow file", "twice (max)", "missing (max)");
    for (var e : medians.entrySet()) {
      List<Result> mine = results.stream().filter(x -> x.name().equals(e.getKey())).toList();
      System.out.printf(
          "%-24s %18.0f %16.2f %14d %14d%n",
          e.getKey(),
          e.getValue(),
          e.getValue() / file,
          mine.stream().mapToLong(Result::twice).max().orElse(-1),
          mine.stream().mapToLong(Result::missing).max().orElse(-1));
    }
  }

  private static Result round(Sut s, Path dir, int runs) throws Exception {
    if (s.schema() != null) {
      freshSchema(s.schema());
    }
    Path effects = dir.resolve("effects.txt");
    List<String> command = new ArrayList<>();
    for (String part : s.command()) {
      command.add(part.replace("{dir}", dir.toString()));
    }
    Process first = start(command, dir, "start", effects, runs);
    try {
      if (awaitLine(first, "started", 120) == null) {
        throw new IllegalStateException(
            "the first JVM did not start its runs in 120 s; see " + dir);
      }
      long kill = runs * 5L * 2 / 5;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (lines(effects) < kill && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
    } finally {
      first.destroyForcibly(); // SIGKILL
      first.waitFor();
    }
    long atKill = lines(effects);
    Process second = start(command, dir, "recover", effects, runs);
    String result;
    try {
      result = awaitLine(second, "complete=", 600);
    } finally {
      if (!second.waitFor(30, TimeUnit.SECONDS)) {
        second.destroyForcibly(); // it hangs
        second.waitFor();
      }
    }
    if (result == null) {
      throw new IllegalStateException(
          "the restarted JVM reported no result in 10 minutes; see " + dir);
    }
    Map<String, Integer> counts = new HashMap<>();
    for (String line : Files.readAllLines(effects)) {
      counts.merge(line, 1, Integer::sum);
    }
    return new Result(
        s.name(),
        atKill,
        Long.parseLong(result.replaceAll(".* ms=(\\d+).*", "$1")),
        Long.parseLong(result.replaceAll("complete=(\\d+).*", "$1")),
        counts.values().stream().filter(c -> c > 1).count(),
        runs * 5L - counts.size());
  }

  private static Process start(List<String> command, Path dir, String mode, Path effects, int runs)
      throws IOException {
    var full = new ArrayList<>(command);
    full.addAll(List.of("kill-" + mode, effects.toString(), Integer.toString(runs)));
    return new ProcessBuilder(full)
        .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve(mode + ".log").toFile()))
        .start();
  }

  /**
   * The first line of {@code p}'s output that starts with {@code prefix}, or null when the process
   * ends or {@code seconds} pass before it prints one. Read on a thread of its own, so that a child
   * that hangs cannot hang the comparison.
   */
  private static String awaitLine(Process p, String prefix, int seconds) throws Exception {
    var found = new java.util.concurrent.CompletableFuture<String>();
    Thread reader =
        new Thread(
            () -> {
              try (var in =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  if (line.startsWith(prefix)) {
                    found.complete(line);
                  }
                }
              } catch (IOException e) {
                // the process was killed: no more output
              }
              found.complete(null);
            },
            "kill-comparison-reader");
    reader.setDaemon(true);
    reader.start();
    try {
      return found.get(seconds, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      return null;
    }
  }

  private static long lines(Path file) throws IOException {
    if (!Files.exists(file)) {
      return 0;
    }
    long n = 0;
    for (byte b : Files.readAllBytes(file)) {
      if (b == '\n') {
        n++;
      }
    }
    return n;
  }

  /** Drops the system's schema and makes it again, so that each round starts empty. */
  private static void freshSchema(String schema) throws Exception {
    try (Connection c =
            DriverManager.getConnection(
                PeerDatabase.url(), PeerDatabase.user(), PeerDatabase.password());
        Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      st.execute("CREATE SCHEMA " + schema);
    }
  }

  private static List<Sut> systems() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String own = System.getProperty("java.class.path");
    String url = System.getProperty("opsflow.bench.jdbc.url");
    String user = PeerDatabase.user();
    String opsflow = OpsflowKill.class.getName();
    var out = new ArrayList<Sut>();
    out.add(
        new Sut(
            "opsflow file", null, command(java, own, List.of(), opsflow, "file", "{dir}/store")));
    if (url != null) {
      out.add(
          new Sut(
              "opsflow postgres",
              "kill_opsflow",
              command(java, own, pg(url, user, "kill_opsflow"), opsflow, "postgres")));
    }
    Path peers = Path.of(System.getProperty("opsflow.bench.peers", "benchmarks/peers"));
    Map<String, List<String>> peerArgs = new LinkedHashMap<>();
    peerArgs.put("dbos", url == null ? null : List.of());
    peerArgs.put("spring-batch h2", List.of("h2"));
    peerArgs.put("spring-batch postgres", url == null ? null : List.of("postgres"));
    peerArgs.put("jobrunr postgres", url == null ? null : List.of("postgres"));
    Map<String, String> schemas =
        Map.of(
            "dbos",
            "kill_dbos",
            "spring-batch postgres",
            "kill_batch",
            "jobrunr postgres",
            "kill_jobrunr");
    for (var e : peerArgs.entrySet()) {
      String classpath =
          PeerComparison.peerClasspath(peers, e.getKey(), e.getValue(), "kill -9, left out: ");
      if (classpath == null) {
        continue;
      }
      String project = e.getKey().split(" ")[0];
      String schema = schemas.get(e.getKey());
      List<String> props = new ArrayList<>();
      if (schema != null) {
        props.addAll(pg(url, user, schema));
        props.add("-Dopsflow.bench.kill.schema=" + schema);
      }
      if (e.getKey().equals("spring-batch h2")) {
        props.add("-Dopsflow.bench.kill.h2={dir}/batch");
      }
      var main = new ArrayList<String>();
      main.add("dev.opsflow.bench.peers." + PeerComparison.driverClass(project));
      main.addAll(e.getValue());
      out.add(
          new Sut(
              e.getKey(), schema, command(java, classpath, props, main.toArray(String[]::new))));
    }
    return out;
  }

  /** The PostgreSQL properties of a child whose tables go to {@code schema}. */
  private static List<String> pg(String url, String user, String schema) {
    String withSchema = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    return List.of("-Dopsflow.bench.jdbc.url=" + withSchema, "-Dopsflow.bench.jdbc.user=" + user);
  }

  private static List<String> command(
      String java, String classpath, List<String> props, String... main) {
    var command = new ArrayList<String>();
    command.add(java);
    for (String p : List.of("opsflow.bench.kill.step.ms")) {
      if (System.getProperty(p) != null) {
        command.add("-D" + p + "=" + System.getProperty(p));
      }
    }
    command.addAll(props);
    command.add("-cp");
    command.add(classpath);
    command.addAll(List.of(main));
    return command;
  }
}
