package dev.opsflow.redis.cloud.steps;

import dev.opsflow.workflow.CancelledException;
import dev.opsflow.workflow.ForwardingPollingStep;
import dev.opsflow.workflow.ForwardingStep;
import dev.opsflow.workflow.Poll;
import dev.opsflow.workflow.Polling;
import dev.opsflow.workflow.PollingStep;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.StepTimeoutException;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Runs another step and reports its failures with a {@link CloudErrorType} in {@code
 * details.errorType} (cancellations and timeouts pass through unchanged, so the engine still sees
 * them as such).
 */
public final class TypedErrorsStep extends ForwardingStep {

  /**
   * Wraps {@code step}.
   *
   * @param step the step whose failures are typed
   */
  public TypedErrorsStep(Step step) {
    super(step);
  }

  /**
   * Wraps {@code step}, keeping a {@link PollingStep} a polling step (its polls' failures typed),
   * so that it still holds no thread between polls in a started run.
   *
   * @param step the step whose failures are typed
   * @return the wrapped step
   */
  public static Step of(Step step) {
    return step instanceof PollingStep polling ? new Polls(polling) : new TypedErrorsStep(step);
  }

  @Override
  public void run(StepContext ctx) throws Exception {
    typed(() -> super.run(ctx));
  }

  @Override
  public Optional<String> precheck(StepContext ctx) throws Exception {
    return typed(() -> super.precheck(ctx));
  }

  /** {@code call}'s failures typed; cancellations and timeouts unchanged. */
  private static <T> T typed(Callable<T> call) throws Exception {
    try {
      return call.call();
    } catch (CancelledException | StepTimeoutException e) {
      throw e;
    } catch (Exception e) {
      throw CloudErrorType.typed(e);
    }
  }

  private static void typed(Action action) throws Exception {
    typed(
        () -> {
          action.run();
          return null;
        });
  }

  private interface Action {
    void run() throws Exception;
  }

  /** {@link TypedErrorsStep} of a {@link PollingStep}. */
  private static final class Polls extends ForwardingPollingStep {

    Polls(PollingStep step) {
      super(step);
    }

    @Override
    public Poll poll(StepContext ctx, Polling polling) throws Exception {
      return typed(() -> super.poll(ctx, polling));
    }

    @Override
    public Optional<String> precheck(StepContext ctx) throws Exception {
      return typed(() -> super.precheck(ctx));
    }
  }
}
