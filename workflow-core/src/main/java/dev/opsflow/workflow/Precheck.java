package dev.opsflow.workflow;

import java.util.Optional;

/**
 * Tells whether a step's work is already done, so the step is SKIPPED with a reason instead of run
 * again ("cluster already bootstrapped"). A precheck only reads; it runs in dry runs too.
 */
@FunctionalInterface
public interface Precheck {
  /**
   * The reason the work is already done, or empty when the step must run.
   *
   * @param ctx the step's context, with the run's inputs and earlier outputs
   * @return the reason the step is skipped, or empty to run it
   * @throws Exception a failure of the check, which fails the attempt like the step's own
   */
  Optional<String> alreadyDone(StepContext ctx) throws Exception;
}
