package dev.opsflow.workflow;

import java.util.Objects;
import java.util.Optional;

/**
 * One unit of work in a workflow.
 *
 * <p>Only {@link #name()} and {@link #run(StepContext)} are required. A step may also report that
 * its work is already done ({@link #precheck}), undo its work on rollback ({@link #compensate}),
 * and describe what it would change in a dry run ({@link #describe}). A step that only reads (a
 * validation, a lookup) says so with {@link #readOnly()} and then runs in dry runs too, so later
 * steps can describe themselves with real data.
 *
 * <p>Implementations should be stateless: one step instance serves every run of its workflow, on
 * many threads at once. Per-run state belongs in the {@link StepContext}.
 */
public interface Step {

  /**
   * {@return the step's name, unique within its workflow; it names the step in results and events}
   */
  String name();

  /**
   * Does the step's work. Throwing fails the attempt; the engine decides on a retry.
   *
   * @param ctx the step's context: inputs, earlier outputs, clock, cancellation, progress
   * @throws Exception a failure of the attempt; the engine decides on a retry
   */
  void run(StepContext ctx) throws Exception;

  /**
   * Whether the work is already done. The default always runs the step.
   *
   * @param ctx the step's context
   * @return the reason to skip, or empty to run
   * @throws Exception a failure of the check, which fails the attempt
   */
  default Optional<String> precheck(StepContext ctx) throws Exception {
    return Optional.empty();
  }

  /** {@return whether {@link #compensate} undoes anything} */
  default boolean hasCompensation() {
    return false;
  }

  /**
   * Undoes what {@link #run} did, on rollback. Runs only for steps that completed.
   *
   * @param ctx the step's context, as the run left it
   * @throws Exception a failed compensation, recorded; the rollback goes on with the others
   */
  default void compensate(StepContext ctx) throws Exception {}

  /**
   * What the step would change, for a dry run.
   *
   * @param ctx the step's context
   * @return a sentence saying what the step would change
   */
  default String describe(StepContext ctx) {
    return "run step '" + name() + "'";
  }

  /** {@return whether the step only reads; read-only steps run in dry runs} */
  default boolean readOnly() {
    return false;
  }

  /**
   * A step from a lambda: {@code Step.of("resolve-ip", ctx -> ...)}.
   *
   * @param name the step's name, unique within its workflow
   * @param action the step's work
   * @return the step
   */
  static Step of(String name, StepAction action) {
    return builder(name).run(action).build();
  }

  /**
   * A step that waits by polling: {@code Step.poll("wait-ready", (ctx, n) -> ready() ? Poll.done()
   * : Poll.again(Duration.ofSeconds(5)))}. Between polls a started run holds no thread (see {@link
   * PollingStep}).
   *
   * @param name the step's name, unique within its workflow
   * @param poller one poll: done, or when to poll again
   * @return the polling step
   */
  static Step poll(String name, PollingStep.Poller poller) {
    return builder(name).poll(poller).build();
  }

  /**
   * A builder for a step with a precheck, compensation or description.
   *
   * @param name the step's name, unique within its workflow
   * @return a builder for the step
   */
  static Builder builder(String name) {
    return new Builder(name);
  }

  /** Builds a {@link Step} from lambdas. Not thread-safe; the step it builds is immutable. */
  final class Builder {
    private final String name;
    private StepAction action;
    private PollingStep.Poller poller;
    private Precheck precheck;
    private StepAction compensation;
    private java.util.function.Function<StepContext, String> description;
    private boolean readOnly;

    private Builder(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("step name must not be blank");
      }
      this.name = name;
    }

    /**
     * The step's work (required).
     *
     * @param action the step's work
     * @return this builder
     */
    public Builder run(StepAction action) {
      this.action = Objects.requireNonNull(action, "action must not be null");
      return this;
    }

    /**
     * Makes the step a {@link PollingStep} whose work is {@code poller}, called until it answers
     * {@link Poll#done()} (instead of {@link #run}).
     *
     * @param poller one poll: done, or when to poll again
     * @return this builder
     */
    public Builder poll(PollingStep.Poller poller) {
      this.poller = Objects.requireNonNull(poller, "poller must not be null");
      return this;
    }

    /**
     * A check that reports the work as already done.
     *
     * @param precheck the check run before the step's work
     * @return this builder
     */
    public Builder precheck(Precheck precheck) {
      this.precheck = Objects.requireNonNull(precheck, "precheck must not be null");
      return this;
    }

    /**
     * Undoes the work on rollback.
     *
     * @param compensation the work that undoes the step's
     * @return this builder
     */
    public Builder compensate(StepAction compensation) {
      this.compensation = Objects.requireNonNull(compensation, "compensation must not be null");
      return this;
    }

    /**
     * What the step would change, for dry runs.
     *
     * @param description a sentence saying what the step would change
     * @return this builder
     */
    public Builder describe(String description) {
      Objects.requireNonNull(description, "description must not be null");
      this.description = ctx -> description;
      return this;
    }

    /**
     * What the step would change, computed from the context, for dry runs.
     *
     * @param description gives the sentence from the run's context
     * @return this builder
     */
    public Builder describe(java.util.function.Function<StepContext, String> description) {
      this.description = Objects.requireNonNull(description, "description must not be null");
      return this;
    }

    /**
     * Marks the step as one that only reads, so it runs in dry runs too.
     *
     * @return this builder
     */
    public Builder readOnly() {
      this.readOnly = true;
      return this;
    }

    /**
     * Builds the step.
     *
     * @return the step
     * @throws IllegalStateException if neither an action nor a poller was given, or both
     */
    public Step build() {
      if (action == null && poller == null) {
        throw new IllegalStateException(
            "step '" + name + "' needs an action: call run(...) or poll(...)");
      }
      if (action != null && poller != null) {
        throw new IllegalStateException(
            "step '" + name + "' has both run(...) and poll(...): give it one of them");
      }
      if (poller != null) {
        return new LambdaPollingStep(
            new LambdaStep(name, ctx -> {}, precheck, compensation, description, readOnly), poller);
      }
      return new LambdaStep(name, action, precheck, compensation, description, readOnly);
    }
  }
}
