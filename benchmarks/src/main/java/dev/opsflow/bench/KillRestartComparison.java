package dev.opsflow.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Kill -9 in the middle of runs on the file store, then a restart: a JVM starts {@code runs} runs
 * of 5 steps (20 ms each) with the engine's default 30 s lease, is killed with SIGKILL once 40% of
 * all steps ran, and a fresh JVM recovers them. Reports, per round, the restarted JVM's time from
 * its start to all runs complete, and the steps that ran twice (the step each run was in when
 * killed may: at-least-once for the step in flight; a completed step never).
 *
 * <p>Arguments: rounds (default 3), runs (default 100). {@code -Dopsflow.bench.dir=DIR} for another
 * disk than {@code java.io.tmpdir}.
 */
public final class KillRestartComparison {
  private KillRestartComparison() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    Path base =
        Files.createTempDirectory(
            Path.of(System.getProperty("opsflow.bench.dir", System.getProperty("java.io.tmpdir"))),
            "opsflow-kill");
    System.out.printf(
        "%-6s %10s %14s %16s %14s%n",
        "round", "recovered", "restart ms", "steps twice", "steps missing");
    for (int r = 0; r < rounds; r++) {
      Path dir = base.resolve("store-" + r);
      Path effects = base.resolve("effects-" + r + ".txt");
      Process first = java("start", dir.toString(), effects.toString(), Integer.toString(runs));
      var out =
          new BufferedReader(new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8));
      if (!"started".equals(out.readLine())) {
        throw new IllegalStateException("the first JVM did not start its runs");
      }
      long half = runs * 5L * 2 / 5;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (lines(effects) < half && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      first.destroyForcibly();
      first.waitFor();
      Process second = java("recover", dir.toString(), effects.toString(), Integer.toString(runs));
      String result;
      try (var in =
          new BufferedReader(
              new InputStreamReader(second.getInputStream(), StandardCharsets.UTF_8))) {
        result = in.lines().filter(l -> l.startsWith("recovered=")).findFirst().orElse("?");
      }
      second.waitFor();
      Map<String, Integer> counts = new HashMap<>();
      for (String line : Files.readAllLines(effects)) {
        counts.merge(line, 1, Integer::sum);
      }
      long twice = counts.values().stream().filter(c -> c > 1).count();
      long missing = runs * 5L - counts.size();
      String recovered = result.replaceAll(".*recovered=(\\d+).*", "$1");
      String ms = result.replaceAll(".* ms=(\\d+).*", "$1");
      String claim = result.replaceAll(".*first_claim_ms=(-?\\d+).*", "$1");
      System.out.printf(
          "%-6d %10s %16s %14s %12d %14d%n", r + 1, recovered, claim, ms, twice, missing);
    }
  }

  private static long lines(Path file) throws Exception {
    if (!Files.exists(file)) {
      return 0;
    }
    return Files.readAllBytes(file).length == 0
        ? 0
        : new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().count();
  }

  private static Process java(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                KillRestartChild.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }
}
