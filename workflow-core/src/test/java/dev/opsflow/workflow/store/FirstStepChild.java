package dev.opsflow.workflow.store;

import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import java.nio.file.Path;
import java.util.Map;

/**
 * A child JVM of {@link FirstStepClassesTest}: opens a file store, runs a 3-step workflow whose
 * first step loads {@link AtFirstStep} (so the class-loading log shows where the first step began),
 * closes the store and prints the run's state.
 *
 * <p>Argument: the store directory.
 */
public final class FirstStepChild {
  private FirstStepChild() {}

  /** Loaded by the first step, and only there. */
  static final class AtFirstStep {}

  public static void main(String[] args) {
    try (var store = FileExecutionStore.open(Path.of(args[0]));
        var engine = WorkflowEngine.builder().store(store).build()) {
      var wf =
          Workflow.builder("first-step")
              .step(Step.of("s1", ctx -> new AtFirstStep()))
              .step(Step.of("s2", ctx -> {}))
              .step(Step.of("s3", ctx -> {}))
              .build();
      System.out.println(engine.run(wf, Map.of(), RunOptions.defaults()).status());
    }
  }
}
