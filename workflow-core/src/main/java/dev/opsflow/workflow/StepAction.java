package dev.opsflow.workflow;

/**
 * The body of a step as a lambda: {@code ctx -> ctx.put(IP, lookUp(ctx.require(HOST)))}.
 *
 * <p>It may throw any exception; the engine classifies it (see {@link Retries}).
 */
@FunctionalInterface
public interface StepAction {
  /**
   * Does the step's work.
   *
   * @param ctx the step's context: inputs, earlier outputs, clock, cancellation, progress
   * @throws Exception a failure of the attempt; the engine decides on a retry
   */
  void run(StepContext ctx) throws Exception;
}
