package dev.opsflow.workflow;

/**
 * A {@link PollingStep} made of lambdas by {@link Step.Builder#poll}: its polls are the poller's,
 * everything else (precheck, compensation, description, read-only) the lambda step's.
 */
final class LambdaPollingStep extends ForwardingStep implements PollingStep {
  private final Poller poller;

  LambdaPollingStep(LambdaStep parts, Poller poller) {
    super(parts);
    this.poller = poller;
  }

  @Override
  public Poll poll(StepContext ctx, Polling polling) throws Exception {
    return poller.poll(ctx, polling);
  }

  /** Polls in place, as {@link PollingStep#run} does (the lambda step's own action is empty). */
  @Override
  public void run(StepContext ctx) throws Exception {
    PollingStep.super.run(ctx);
  }

  @Override
  public String toString() {
    return "PollingStep[" + name() + "]";
  }
}
