package dev.opsflow.hardware.testing;

import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.testing.ManualClock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Runs client code inside a real workflow step on an engine driven by a {@link ManualClock}, so
 * waits (Await) skip simulated time. Rethrows what the step threw, unchanged.
 */
public final class InStep {
  private InStep() {}

  /** Runs {@code body} as the only step of a one-step workflow and returns its value. */
  public static <T> T call(ManualClock clock, Function<StepContext, T> body) {
    var value = new AtomicReference<T>();
    var thrown = new AtomicReference<RuntimeException>();
    Workflow workflow =
        Workflow.builder("in-step")
            .step(
                Step.of(
                    "body",
                    ctx -> {
                      try {
                        value.set(body.apply(ctx));
                      } catch (RuntimeException e) {
                        thrown.set(e);
                        throw e;
                      }
                    }))
            .build();
    try (WorkflowEngine engine = WorkflowEngine.builder().clock(clock).sleeper(clock).build()) {
      engine.run(workflow, Map.of());
    }
    if (thrown.get() != null) {
      throw thrown.get();
    }
    return value.get();
  }
}
