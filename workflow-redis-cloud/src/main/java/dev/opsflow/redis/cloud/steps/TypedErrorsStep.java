package dev.opsflow.redis.cloud.steps;

import dev.opsflow.workflow.CancelledException;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.StepTimeoutException;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs another step and reports its failures with a {@link CloudErrorType} in {@code
 * details.errorType} (cancellations and timeouts pass through unchanged, so the engine still sees
 * them as such).
 */
public final class TypedErrorsStep implements Step {
  private final Step step;

  /** Wraps {@code step}. */
  public TypedErrorsStep(Step step) {
    this.step = Objects.requireNonNull(step, "step must not be null");
  }

  @Override
  public String name() {
    return step.name();
  }

  @Override
  public void run(StepContext ctx) throws Exception {
    try {
      step.run(ctx);
    } catch (CancelledException | StepTimeoutException e) {
      throw e;
    } catch (Exception e) {
      throw CloudErrorType.typed(e);
    }
  }

  @Override
  public Optional<String> precheck(StepContext ctx) throws Exception {
    try {
      return step.precheck(ctx);
    } catch (CancelledException | StepTimeoutException e) {
      throw e;
    } catch (Exception e) {
      throw CloudErrorType.typed(e);
    }
  }

  @Override
  public boolean hasCompensation() {
    return step.hasCompensation();
  }

  @Override
  public void compensate(StepContext ctx) throws Exception {
    step.compensate(ctx);
  }

  @Override
  public String describe(StepContext ctx) {
    return step.describe(ctx);
  }

  @Override
  public boolean readOnly() {
    return step.readOnly();
  }
}
