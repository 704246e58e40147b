package dev.opsflow.workflow.test;

import dev.opsflow.workflow.ForwardingStep;
import dev.opsflow.workflow.Input;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.Workflow;
import java.time.Duration;
import java.util.Optional;

/** Copies of a workflow changed for a ready check: a step made stuck, a failure added. */
final class Workflows {
  /** The name of the step {@link #failingAtTheEnd} adds. */
  static final String INJECTED_FAILURE = "opsflow-test-injected-failure";

  private Workflows() {}

  private static Workflow.Builder copyHeader(Workflow workflow) {
    var b =
        Workflow.builder(workflow.name())
            .version(workflow.version())
            .description(workflow.description());
    for (Input<?> input : workflow.inputs().values()) {
      b.input(input);
    }
    workflow.compliance().ifPresent(b::compliance);
    return b;
  }

  /** {@code workflow} with one more step at the end, which fails. */
  static Workflow failingAtTheEnd(Workflow workflow) {
    var b = copyHeader(workflow);
    for (Workflow.Node n : workflow.nodes()) {
      b.step(n.step(), n.options());
    }
    return b.step(
            INJECTED_FAILURE,
            ctx -> {
              throw new IllegalStateException(
                  "failure injected by WorkflowChecks after every step");
            })
        .build();
  }

  /**
   * {@code workflow} whose step {@code name} never finishes by itself: it waits (through the
   * engine's sleeper, so a manual clock skips the time) until its timeout or a cancel ends it.
   *
   * @throws AssertionError if the workflow has no top-level step of that name
   */
  static Workflow stuckAt(Workflow workflow, String name) {
    if (workflow.node(name).isEmpty()) {
      throw new AssertionError(
          "workflow '" + workflow.name() + "' has no step '" + name + "': " + workflow.stepNames());
    }
    var b = copyHeader(workflow);
    for (Workflow.Node n : workflow.nodes()) {
      b.step(n.step().name().equals(name) ? new Stuck(n.step()) : n.step(), n.options());
    }
    return b.build();
  }

  /** A step that hangs: it waits a year, and never finds its work done. */
  private static final class Stuck extends ForwardingStep {
    Stuck(Step delegate) {
      super(delegate);
    }

    @Override
    public Optional<String> precheck(StepContext ctx) {
      return Optional.empty();
    }

    @Override
    public void run(StepContext ctx) {
      ctx.sleep(Duration.ofDays(365));
    }
  }
}
