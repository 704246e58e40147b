package dev.opsflow.workflow;

import java.util.Optional;

/** A {@link PollingStep} made of lambdas by {@link Step.Builder#poll}. */
record LambdaPollingStep(LambdaStep parts, Poller poller) implements PollingStep {

  @Override
  public String name() {
    return parts.name();
  }

  @Override
  public Poll poll(StepContext ctx, Polling polling) throws Exception {
    return poller.poll(ctx, polling);
  }

  @Override
  public Optional<String> precheck(StepContext ctx) throws Exception {
    return parts.precheck(ctx);
  }

  @Override
  public boolean hasCompensation() {
    return parts.hasCompensation();
  }

  @Override
  public void compensate(StepContext ctx) throws Exception {
    parts.compensate(ctx);
  }

  @Override
  public String describe(StepContext ctx) {
    return parts.describe(ctx);
  }

  @Override
  public boolean readOnly() {
    return parts.readOnly();
  }

  @Override
  public String toString() {
    return "PollingStep[" + name() + "]";
  }
}
