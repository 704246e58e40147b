package dev.opsflow.bench.peers;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Opsflow side by side with its peers, each system in its own JVM and classpath, interleaved round
 * by round so that all see the same machine: JVM start to first step, the 3-step round trip, and
 * the throughput of many 5-step runs started at once, beside the floor (three 1 KB appends with
 * fsync). Peers are the driver projects under {@code benchmarks/peers/}, built by {@code
 * benchmarks/peers/compare.sh} (which runs this); a peer whose classpath file is missing is left
 * out, and so are the PostgreSQL systems without {@code -Dopsflow.bench.jdbc.url}.
 *
 * <p>The round trips are interleaved trip by trip ({@link InterleavedRoundTrips}): each round, one
 * serving JVM per system, all alive at once, each doing one round trip in turn, so that all see the
 * disk of the same moment; besides each system's median and p99, the table then gives the median of
 * its per-trip ratios to the floor's trip and to the trip of the system named by {@code
 * -Dopsflow.bench.versus} (default {@code opsflow postgres}) in the same rotation. {@code
 * -Dopsflow.bench.roundtrip=per-jvm} measures them as before: each system's round trips in a JVM of
 * their own, one system after the other. Start-up and throughput are always one JVM per sample.
 *
 * <p>Arguments: rounds (default 3), round trips per system and round (default 200), runs for
 * throughput (default 1000). Then, as many rounds of {@link KillComparison} (kill -9 in the middle
 * of 100 runs), unless {@code -Dopsflow.bench.kill=false} or some figures are left out; {@code kill
 * [rounds] [runs]} as the arguments runs that comparison alone. System properties: {@code
 * opsflow.bench.peers} (default {@code benchmarks/peers}), where the peers' builds are; {@code
 * opsflow.bench.only}, the names of the systems to run (comma-separated; default all); {@code
 * opsflow.bench.figures}, which of {@code startup,roundtrip,throughput} to measure (default all);
 * {@code opsflow.bench.roundtrip} and {@code opsflow.bench.versus}, above; {@code
 * opsflow.bench.before}, the benchmarks.jar of the code before a change, to run each Opsflow system
 * on it too ({@link CodeBefore}: {@code "opsflow file @before"}...).
 */
public final class PeerComparison {
  private PeerComparison() {}

  /**
   * One system: its name and the java arguments before the mode.
   *
   * @param name the system's name, as in {@code opsflow.bench.only}
   * @param command java, its options, classpath and main class, and the arguments before the mode
   */
  record Sut(String name, List<String> command) {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("kill")) {
      KillComparison.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int trips = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
    String tripMode = System.getProperty("opsflow.bench.roundtrip", "interleaved");
    if (!tripMode.equals("interleaved") && !tripMode.equals("per-jvm")) {
      throw new IllegalArgumentException(
          "opsflow.bench.roundtrip must be interleaved or per-jvm, was: " + tripMode);
    }
    List<String> figures =
        List.of(
            System.getProperty("opsflow.bench.figures", "startup,roundtrip,throughput").split(","));
    for (String f : figures) {
      if (!List.of("startup", "roundtrip", "throughput").contains(f)) {
        throw new IllegalArgumentException(
            "opsflow.bench.figures must name some of startup,roundtrip,throughput, was: " + f);
      }
    }
    String versus = System.getProperty("opsflow.bench.versus", "opsflow postgres");
    List<Sut> systems = systems();
    String only = System.getProperty("opsflow.bench.only");
    if (only != null) {
      // e.g. -Dopsflow.bench.only=floor,spring-batch postgres: to repeat some systems.
      List<String> names = List.of(only.split(","));
      systems = systems.stream().filter(s -> names.contains(s.name())).toList();
    }
    var startup = new LinkedHashMap<String, List<Double>>();
    var roundTrip = new LinkedHashMap<String, List<Double>>();
    var throughput = new LinkedHashMap<String, List<Double>>();
    var overFloor = new LinkedHashMap<String, List<Double>>();
    var overVersus = new LinkedHashMap<String, List<Double>>();
    boolean interleaved = figures.contains("roundtrip") && tripMode.equals("interleaved");
    for (int r = 1; r <= rounds; r++) {
      var thisRound = new LinkedHashMap<String, List<Double>>();
      if (interleaved) {
        System.err.printf("round %d/%d: round trips interleaved trip by trip%n", r, rounds);
        Map<String, Long[]> byIndex = InterleavedRoundTrips.run(systems, trips);
        for (var e : byIndex.entrySet()) {
          thisRound.put(e.getKey(), InterleavedRoundTrips.done(e.getValue()));
          add(
              overFloor,
              e.getKey(),
              InterleavedRoundTrips.ratios(e.getValue(), byIndex.get("floor")));
          add(
              overVersus,
              e.getKey(),
              InterleavedRoundTrips.ratios(e.getValue(), byIndex.get(versus)));
        }
        printRound(r, "interleaved", thisRound, byIndex, versus);
      }
      boolean perJvm =
          figures.contains("startup") || figures.contains("throughput") || !interleaved;
      for (Sut s : perJvm ? systems : List.<Sut>of()) {
        System.err.printf("round %d/%d: %s%n", r, rounds, s.name());
        if (figures.contains("startup")) {
          add(startup, s.name(), run(s, "first_ms", "startup"));
        }
        if (figures.contains("roundtrip") && !interleaved) {
          thisRound.put(s.name(), run(s, "roundtrip_us", "roundtrip", Integer.toString(trips)));
        }
        if (figures.contains("throughput")) {
          add(throughput, s.name(), run(s, "runs_per_s", "throughput", Integer.toString(runs)));
        }
      }
      if (figures.contains("roundtrip") && !interleaved) {
        printRound(r, "per-jvm", thisRound, null, versus);
      }
      thisRound.forEach((name, xs) -> add(roundTrip, name, xs));
    }
    double floor = pct(roundTrip.get("floor"), 50);
    System.out.printf(
        "%-24s %22s %8s %11s %11s %14s %16s%n",
        "system",
        "3-step ms median (p99)",
        "x floor",
        "trip/floor",
        "trip/versus",
        "runs/s median",
        "first step ms");
    for (Sut s : systems) {
      List<Double> rt = roundTrip.get(s.name());
      System.out.printf(
          "%-24s %13.2f (%6.1f) %8.2f %11.2f %11.2f %14.0f %16.0f%n",
          s.name(),
          pct(rt, 50) / 1000,
          pct(rt, 99) / 1000,
          pct(rt, 50) / floor,
          pct(overFloor.get(s.name()), 50),
          pct(overVersus.get(s.name()), 50),
          pct(throughput.get(s.name()), 50),
          pct(startup.get(s.name()), 50));
    }
    if (interleaved) {
      System.out.printf(
          "trip/floor, trip/versus: the median over trip indexes of this system's trip over the"
              + " floor's, or over %s's, in the same rotation%n",
          versus);
    }
    if (figures.contains("startup")
        && figures.contains("throughput")
        && !"false".equals(System.getProperty("opsflow.bench.kill"))) {
      KillComparison.main(new String[] {Integer.toString(rounds), "100"});
    }
  }

  /**
   * One round's round trips in a line: each system's median, and its ratio to {@code versus}: of
   * the medians, and (interleaved: {@code byIndex} not null) the median of the per-trip ratios.
   */
  private static void printRound(
      int round,
      String mode,
      Map<String, List<Double>> trips,
      Map<String, Long[]> byIndex,
      String versus) {
    var line = new StringBuilder("round " + round + " (" + mode + "), median ms:");
    trips.forEach((name, xs) -> line.append(String.format(" %s %.2f;", name, pct(xs, 50) / 1000)));
    double v = pct(trips.get(versus), 50);
    line.append(" over ").append(versus).append(" (of medians");
    line.append(byIndex == null ? "):" : ", per trip):");
    trips.forEach(
        (name, xs) -> {
          if (!name.equals(versus) && !Double.isNaN(v)) {
            line.append(String.format(" %s %.2f", name, pct(xs, 50) / v));
            if (byIndex != null) {
              line.append(
                  String.format(
                      " (%.2f)",
                      pct(
                          InterleavedRoundTrips.ratios(byIndex.get(name), byIndex.get(versus)),
                          50)));
            }
            line.append(';');
          }
        });
    System.out.println(line);
  }

  private static void add(Map<String, List<Double>> to, String name, List<Double> xs) {
    to.computeIfAbsent(name, k -> new ArrayList<>()).addAll(xs);
  }

  private static List<Sut> systems() throws Exception {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String own = System.getProperty("java.class.path");
    List<String> props = new ArrayList<>();
    // The password is not passed on the command line (a process listing would show it): the
    // drivers inherit OPSFLOW_BENCH_JDBC_PASSWORD from the environment.
    for (String p :
        List.of("opsflow.bench.dir", "opsflow.bench.jdbc.url", "opsflow.bench.jdbc.user")) {
      if (System.getProperty(p) != null) {
        props.add("-D" + p + "=" + System.getProperty(p));
      }
    }
    boolean pg = System.getProperty("opsflow.bench.jdbc.url") != null;
    var out = new ArrayList<Sut>();
    out.add(sut("floor", javaBin, own, props, FloorDriver.class.getName()));
    for (String store : List.of("memory", "file", "h2", "postgres")) {
      if (!store.equals("postgres") || pg) {
        out.add(sut("opsflow " + store, javaBin, own, props, OpsflowDriver.class.getName(), store));
      }
    }
    String before = System.getProperty("opsflow.bench.before");
    if (before != null) {
      out.addAll(CodeBefore.systems(List.copyOf(out), Path.of(before)));
    }
    Path peers = Path.of(System.getProperty("opsflow.bench.peers", "benchmarks/peers"));
    Map<String, List<String>> peerArgs = new LinkedHashMap<>();
    peerArgs.put("dbos", pg ? List.of() : null);
    peerArgs.put("temporal", List.of());
    peerArgs.put("spring-batch h2", List.of("h2"));
    peerArgs.put("spring-batch postgres", pg ? List.of("postgres") : null);
    peerArgs.put("jobrunr", List.of());
    for (var e : peerArgs.entrySet()) {
      String classpath = peerClasspath(peers, e.getKey(), e.getValue(), "left out: ");
      if (classpath == null) {
        continue;
      }
      String main = "dev.opsflow.bench.peers." + driverClass(e.getKey().split(" ")[0]);
      var command = new ArrayList<String>();
      command.add(main);
      command.addAll(e.getValue());
      out.add(sut(e.getKey(), javaBin, classpath, props, command.toArray(String[]::new)));
    }
    return out;
  }

  /**
   * The classpath of the driver project of peer system {@code name} (its first word: "spring-batch
   * h2" runs project spring-batch) as compare.sh built it; null, said on stderr after {@code
   * leftOut}, when the system takes no part: {@code args} null (it needs PostgreSQL and none was
   * given) or its project not built.
   */
  static String peerClasspath(Path peers, String name, List<String> args, String leftOut)
      throws java.io.IOException {
    Path project = peers.resolve(name.split(" ")[0]);
    Path cp = project.resolve("target/classpath.txt");
    if (args == null || !Files.exists(cp)) {
      System.err.println(
          leftOut + name + (args == null ? " (no PostgreSQL)" : " (not built: " + cp + ")"));
      return null;
    }
    return project.resolve("target/classes")
        + java.io.File.pathSeparator
        + Files.readString(cp).strip();
  }

  static String driverClass(String project) {
    return switch (project) {
      case "dbos" -> "DbosDriver";
      case "temporal" -> "TemporalDriver";
      case "spring-batch" -> "SpringBatchDriver";
      case "jobrunr" -> "JobRunrDriver";
      default -> throw new IllegalArgumentException(project);
    };
  }

  private static Sut sut(
      String name, String java, String classpath, List<String> props, String... main) {
    var command = new ArrayList<String>();
    command.add(java);
    command.addAll(props);
    command.add("-cp");
    command.add(classpath);
    command.addAll(Arrays.asList(main));
    return new Sut(name, command);
  }

  /**
   * Runs {@code system} in a fresh JVM and parses {@code key}'s values from its output; a failure
   * is reported and counts as no sample, so that the other systems' figures still come out.
   */
  private static List<Double> run(Sut system, String key, String... mode) throws Exception {
    try {
      return runOnce(system, key, mode);
    } catch (IllegalStateException e) {
      System.err.println(e.getMessage());
      return List.of();
    }
  }

  private static List<Double> runOnce(Sut system, String key, String... mode) throws Exception {
    var command = new ArrayList<>(system.command());
    command.addAll(Arrays.asList(mode));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> lines;
    try (var in =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      lines = in.lines().toList();
    }
    p.waitFor();
    for (String line : lines) {
      if (line.startsWith(key + "=")) {
        return Arrays.stream(line.substring(key.length() + 1).split(","))
            .map(Double::parseDouble)
            .toList();
      }
    }
    throw new IllegalStateException(
        system.name()
            + " "
            + String.join(" ", mode)
            + " printed no "
            + key
            + ":\n"
            + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
  }

  private static double pct(List<Double> xs, int p) {
    if (xs == null || xs.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = xs.stream().sorted().toList();
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * p / 100.0) - 1));
  }
}
