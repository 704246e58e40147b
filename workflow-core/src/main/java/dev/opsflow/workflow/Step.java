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

  /** The step's name, unique within its workflow; it names the step in results and events. */
  String name();

  /** Does the step's work. Throwing fails the attempt; the engine decides on a retry. */
  void run(StepContext ctx) throws Exception;

  /**
   * Whether the work is already done. The default always runs the step.
   *
   * @return the reason to skip, or empty to run
   */
  default Optional<String> precheck(StepContext ctx) throws Exception {
    return Optional.empty();
  }

  /** Whether {@link #compensate} undoes anything. */
  default boolean hasCompensation() {
    return false;
  }

  /** Undoes what {@link #run} did, on rollback. Runs only for steps that completed. */
  default void compensate(StepContext ctx) throws Exception {}

  /** What the step would change, for a dry run. */
  default String describe(StepContext ctx) {
    return "run step '" + name() + "'";
  }

  /** Whether the step only reads; read-only steps run in dry runs. */
  default boolean readOnly() {
    return false;
  }

  /** A step from a lambda: {@code Step.of("resolve-ip", ctx -> ...)}. */
  static Step of(String name, StepAction action) {
    return builder(name).run(action).build();
  }

  /**
   * A step that waits by polling: {@code Step.poll("wait-ready", (ctx, n) -> ready() ? Poll.done()
   * : Poll.again(Duration.ofSeconds(5)))}. Between polls a started run holds no thread (see {@link
   * PollingStep}).
   */
  static Step poll(String name, PollingStep.Poller poller) {
    return builder(name).poll(poller).build();
  }

  /** A builder for a step with a precheck, compensation or description. */
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

    /** The step's work (required). */
    public Builder run(StepAction action) {
      this.action = Objects.requireNonNull(action, "action must not be null");
      return this;
    }

    /**
     * Makes the step a {@link PollingStep} whose work is {@code poller}, called until it answers
     * {@link Poll#done()} (instead of {@link #run}).
     */
    public Builder poll(PollingStep.Poller poller) {
      this.poller = Objects.requireNonNull(poller, "poller must not be null");
      return this;
    }

    /** A check that reports the work as already done. */
    public Builder precheck(Precheck precheck) {
      this.precheck = Objects.requireNonNull(precheck, "precheck must not be null");
      return this;
    }

    /** Undoes the work on rollback. */
    public Builder compensate(StepAction compensation) {
      this.compensation = Objects.requireNonNull(compensation, "compensation must not be null");
      return this;
    }

    /** What the step would change, for dry runs. */
    public Builder describe(String description) {
      Objects.requireNonNull(description, "description must not be null");
      this.description = ctx -> description;
      return this;
    }

    /** What the step would change, computed from the context, for dry runs. */
    public Builder describe(java.util.function.Function<StepContext, String> description) {
      this.description = Objects.requireNonNull(description, "description must not be null");
      return this;
    }

    /** Marks the step as one that only reads, so it runs in dry runs too. */
    public Builder readOnly() {
      this.readOnly = true;
      return this;
    }

    /**
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
