package dev.opsflow.bench;

import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.spi.ExecutionStore;
import dev.opsflow.workflow.store.FileExecutionStore;
import dev.opsflow.workflow.store.InMemoryExecutionStore;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Map;

/**
 * One start-up sample, run in a fresh JVM by {@link StartupComparison}: builds an engine on the
 * given store, runs a 3-step workflow and prints, in milliseconds since the JVM started (as the JVM
 * reports it), when the first step began ({@code first=}) and when the run ended ({@code done=}).
 * Arguments: {@code memory} or {@code file <dir>}.
 */
public final class StartupProbe {
  private StartupProbe() {}

  public static void main(String[] args) {
    long mainStart = System.currentTimeMillis();
    long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    long[] first = {0};
    ExecutionStore store =
        args[0].equals("file")
            ? FileExecutionStore.open(Path.of(args[1]))
            : new InMemoryExecutionStore();
    long opened = System.currentTimeMillis();
    var wf =
        Workflow.builder("startup")
            .step(
                Step.of(
                    "s1",
                    ctx -> {
                      first[0] = System.currentTimeMillis();
                    }))
            .step(Step.of("s2", ctx -> {}))
            .step(Step.of("s3", ctx -> {}))
            .build();
    try (var engine = WorkflowEngine.builder().store(store).build()) {
      engine.run(wf, Map.of(), RunOptions.defaults());
    }
    long done = System.currentTimeMillis();
    // After the figures: the next sample on the same directory finds no journal to finish.
    if (store instanceof FileExecutionStore files) {
      files.close();
    }
    System.out.println(
        "first="
            + (first[0] - jvmStart)
            + " done="
            + (done - jvmStart)
            + " main="
            + (mainStart - jvmStart)
            + " opened="
            + (opened - jvmStart));
  }
}
