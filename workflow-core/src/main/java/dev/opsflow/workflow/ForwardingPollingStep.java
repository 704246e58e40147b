package dev.opsflow.workflow;

/**
 * A {@link ForwardingStep} of a {@link PollingStep} that stays a polling step: the engine calls
 * {@link #poll} (which forwards to the wrapped step's), so a decorated wait still holds no thread
 * between polls in a started run. Override {@link #poll} to change the polls.
 */
public abstract class ForwardingPollingStep extends ForwardingStep implements PollingStep {

  /**
   * Forwards to {@code delegate}.
   *
   * @param delegate the polling step to wrap; every method not overridden calls it
   */
  protected ForwardingPollingStep(PollingStep delegate) {
    super(delegate);
  }

  @Override
  protected PollingStep delegate() {
    return (PollingStep) super.delegate();
  }

  @Override
  public Poll poll(StepContext ctx, Polling polling) throws Exception {
    return delegate().poll(ctx, polling);
  }

  /** Polls in place through this step's {@link #poll}, as {@link PollingStep#run} does. */
  @Override
  public void run(StepContext ctx) throws Exception {
    PollingStep.super.run(ctx);
  }
}
