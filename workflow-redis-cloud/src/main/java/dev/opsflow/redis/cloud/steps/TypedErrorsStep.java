package dev.opsflow.redis.cloud.steps;

import dev.opsflow.workflow.CancelledException;
import dev.opsflow.workflow.Poll;
import dev.opsflow.workflow.Polling;
import dev.opsflow.workflow.PollingStep;
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

  /**
   * Wraps {@code step}, keeping a {@link PollingStep} a polling step (its polls' failures typed),
   * so that it still holds no thread between polls in a started run.
   */
  public static Step of(Step step) {
    return step instanceof PollingStep polling ? new Polls(polling) : new TypedErrorsStep(step);
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

  /** {@link TypedErrorsStep} of a {@link PollingStep}. */
  private static final class Polls implements PollingStep {
    private final PollingStep step;
    private final TypedErrorsStep typed;

    Polls(PollingStep step) {
      this.step = step;
      this.typed = new TypedErrorsStep(step);
    }

    @Override
    public String name() {
      return step.name();
    }

    @Override
    public Poll poll(StepContext ctx, Polling polling) throws Exception {
      try {
        return step.poll(ctx, polling);
      } catch (CancelledException | StepTimeoutException e) {
        throw e;
      } catch (Exception e) {
        throw CloudErrorType.typed(e);
      }
    }

    @Override
    public Optional<String> precheck(StepContext ctx) throws Exception {
      return typed.precheck(ctx);
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
}
