package dev.opsflow.bench;

import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.store.FileExecutionStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JVM start to first step, each sample a fresh JVM ({@link StartupProbe}), the variants interleaved
 * round by round so that they see the same machine: the memory store (the floor: what any engine
 * start costs), the file store on an empty directory, and on a directory holding {@code stored}
 * finished runs (open must not grow with them).
 *
 * <p>Arguments: rounds (default 15), stored runs (default 5000). {@code -Dopsflow.bench.dir=DIR}
 * for another disk than {@code java.io.tmpdir}.
 */
public final class StartupComparison {
  private StartupComparison() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    int stored = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
    Path base =
        Files.createTempDirectory(
            Path.of(System.getProperty("opsflow.bench.dir", System.getProperty("java.io.tmpdir"))),
            "opsflow-startup");
    Path full = base.resolve("full");
    var samples = new LinkedHashMap<String, List<Long>>();
    try {
      fill(full, stored);
      for (int r = 0; r < rounds; r++) {
        sample(samples, "memory", List.of("memory"));
        sample(samples, "file, empty", List.of("file", base.resolve("empty-" + r).toString()));
        sample(samples, "file, " + stored + " runs", List.of("file", full.toString()));
      }
    } finally {
      BenchFiles.deleteTree(base);
    }
    long floor = median(samples.get("memory"));
    System.out.printf("%-22s %12s %10s %8s%n", "store", "median ms", "p90 ms", "ratio");
    for (var e : samples.entrySet()) {
      System.out.printf(
          "%-22s %12d %10d %8.2f%n",
          e.getKey(),
          median(e.getValue()),
          p90(e.getValue()),
          median(e.getValue()) / (double) floor);
    }
  }

  private static void fill(Path dir, int runs) {
    var wf = Workflow.builder("filler").step(Step.of("s1", ctx -> {})).build();
    // Closed: its journal is checkpointed here, not by the first sample's open.
    try (var store = FileExecutionStore.open(dir);
        var engine = WorkflowEngine.builder().store(store).build()) {
      for (int i = 0; i < runs; i++) {
        engine.run(wf, Map.of(), RunOptions.defaults());
      }
    }
  }

  private static void sample(Map<String, List<Long>> samples, String name, List<String> args)
      throws IOException, InterruptedException {
    var command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                StartupProbe.class.getName()));
    command.addAll(args);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out;
    try (var r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      out = r.lines().reduce("", (a, b) -> a + b + "\n");
    }
    if (p.waitFor() != 0 || !out.contains("first=")) {
      throw new IllegalStateException(name + " probe failed: " + out);
    }
    String first = out.substring(out.indexOf("first=") + 6).split("\\s")[0];
    samples.computeIfAbsent(name, k -> new ArrayList<>()).add(Long.parseLong(first));
  }

  private static long median(List<Long> xs) {
    return xs.stream().sorted().toList().get(xs.size() / 2);
  }

  private static long p90(List<Long> xs) {
    return xs.stream().sorted().toList().get((int) Math.min(xs.size() - 1, xs.size() * 0.9));
  }
}
