package dev.opsflow.workflow;

import java.util.Optional;
import java.util.function.Function;

/** A {@link Step} made of lambdas by {@link Step.Builder}. */
record LambdaStep(
    String name,
    StepAction action,
    Precheck check,
    StepAction compensation,
    Function<StepContext, String> description,
    boolean isReadOnly)
    implements Step {

  @Override
  public void run(StepContext ctx) throws Exception {
    action.run(ctx);
  }

  @Override
  public Optional<String> precheck(StepContext ctx) throws Exception {
    return check == null ? Optional.empty() : check.alreadyDone(ctx);
  }

  @Override
  public boolean hasCompensation() {
    return compensation != null;
  }

  @Override
  public void compensate(StepContext ctx) throws Exception {
    if (compensation != null) {
      compensation.run(ctx);
    }
  }

  @Override
  public String describe(StepContext ctx) {
    return description == null ? Step.super.describe(ctx) : description.apply(ctx);
  }

  @Override
  public boolean readOnly() {
    return isReadOnly;
  }

  @Override
  public String toString() {
    return "Step[" + name + "]";
  }
}
