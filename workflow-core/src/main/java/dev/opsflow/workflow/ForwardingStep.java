package dev.opsflow.workflow;

import java.util.Objects;
import java.util.Optional;

/**
 * A step that forwards every call to another step: extend it and override what a decorator changes
 * (its errors, its description, a check before it runs), and the rest stays the wrapped step's.
 *
 * <pre>{@code
 * final class Audited extends ForwardingStep {
 *   Audited(Step step) { super(step); }
 *
 *   @Override
 *   public void run(StepContext ctx) throws Exception {
 *     audit.record(ctx.runId(), name());
 *     super.run(ctx);
 *   }
 * }
 * }</pre>
 *
 * <p>A {@link PollingStep} wrapped by a {@code ForwardingStep} runs as a plain step (it polls in
 * place, holding its thread): wrap it in a {@link ForwardingPollingStep} to keep it polling.
 */
public abstract class ForwardingStep implements Step {
  private final Step delegate;

  /**
   * Forwards to {@code delegate}.
   *
   * @param delegate the step to wrap; every method not overridden calls it
   */
  protected ForwardingStep(Step delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate must not be null");
  }

  /** {@return the wrapped step} */
  protected Step delegate() {
    return delegate;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public void run(StepContext ctx) throws Exception {
    delegate.run(ctx);
  }

  @Override
  public Optional<String> precheck(StepContext ctx) throws Exception {
    return delegate.precheck(ctx);
  }

  @Override
  public boolean hasCompensation() {
    return delegate.hasCompensation();
  }

  @Override
  public void compensate(StepContext ctx) throws Exception {
    delegate.compensate(ctx);
  }

  @Override
  public String describe(StepContext ctx) {
    return delegate.describe(ctx);
  }

  @Override
  public boolean readOnly() {
    return delegate.readOnly();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + delegate + "]";
  }
}
