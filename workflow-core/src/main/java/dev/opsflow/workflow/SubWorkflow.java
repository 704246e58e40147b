package dev.opsflow.workflow;

import dev.opsflow.workflow.internal.EngineStepContext;

/** A workflow used as one step of another (see {@link Workflow.Builder#subWorkflow}). */
record SubWorkflow(String name, Workflow child) implements Step {

  @Override
  public void run(StepContext ctx) throws Exception {
    ((EngineStepContext) ctx).runNested(child, name);
  }

  @Override
  public String describe(StepContext ctx) {
    return "run workflow '" + child.name() + "' (" + String.join(", ", child.stepNames()) + ")";
  }
}
