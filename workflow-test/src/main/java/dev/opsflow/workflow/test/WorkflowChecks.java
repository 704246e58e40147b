package dev.opsflow.workflow.test;

import static dev.opsflow.workflow.test.WorkflowAssertions.assertThat;
import static dev.opsflow.workflow.test.WorkflowAssertions.assertThatEvents;

import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowResult;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Ready checks for any workflow: the testing checklist every workflow should pass, each one call. A
 * check runs the workflow on the engine given (use {@link WorkflowExtension}'s, on a manual clock)
 * and throws {@link AssertionError} saying what went wrong; it returns the result it checked for
 * further assertions.
 *
 * <p>Several checks compare the state of the world before and after a run through a probe: a
 * supplier whose value changes exactly when the workflow has a side effect, such as {@code () ->
 * simulator.databaseNames()} or {@code () -> simulator.requests(RecordedRequest::isMutating)}. Its
 * values are compared with {@code equals}.
 */
public final class WorkflowChecks {
  private WorkflowChecks() {}

  /**
   * Running twice with one idempotency key executes once: the second call gives the first run (the
   * same run id and status) and the probe shows no second side effect.
   *
   * @param engine the engine to run on
   * @param workflow the workflow to check
   * @param inputs its inputs
   * @param sideEffects reads what the workflow changes (a simulator's state, say), compared before
   *     and after the second run
   * @return the first run's result, for further checks
   */
  public static WorkflowResult runsOnceWithOneKey(
      WorkflowEngine engine, Workflow workflow, Map<String, ?> inputs, Supplier<?> sideEffects) {
    RunOptions once = RunOptions.defaults().withIdempotencyKey("check-" + UUID.randomUUID());
    WorkflowResult first = engine.run(workflow, inputs, once);
    Object after = sideEffects.get();
    WorkflowResult second = engine.run(workflow, inputs, once);
    if (!second.runId().equals(first.runId()) || second.status() != first.status()) {
      throw new AssertionError(
          "a second run with the same idempotency key executed again: run "
              + second.runId()
              + " ("
              + second.status()
              + ") instead of giving run "
              + first.runId()
              + " ("
              + first.status()
              + ")");
    }
    expectUnchanged("the second run with the same key", after, sideEffects.get());
    return first;
  }

  /**
   * A dry run describes the steps and changes nothing the probe can see.
   *
   * @param engine the engine to run on
   * @param workflow the workflow to check
   * @param inputs its inputs
   * @param state reads what the workflow would change, compared before and after the dry run
   * @return the dry run's result, for further checks
   */
  public static WorkflowResult dryRunChangesNothing(
      WorkflowEngine engine, Workflow workflow, Map<String, ?> inputs, Supplier<?> state) {
    Object before = state.get();
    WorkflowResult result = engine.run(workflow, inputs, RunOptions.defaults().withDryRun(true));
    assertThat(result).isDryRun().isCompleted();
    expectUnchanged("the dry run", before, state.get());
    return result;
  }

  /**
   * Rollback undoes what ran: the workflow runs with rollback on and a failure injected after its
   * last step, so every step that completed must be compensated; the run must end ROLLED_BACK and
   * the probe must show the state from before the run.
   *
   * @param engine the engine to run on
   * @param workflow the workflow to check
   * @param inputs its inputs
   * @param state reads what the workflow changes, compared before the run and after its rollback
   * @return the rolled-back run's result, for further checks
   */
  public static WorkflowResult rollbackUndoesWhatRan(
      WorkflowEngine engine, Workflow workflow, Map<String, ?> inputs, Supplier<?> state) {
    Object before = state.get();
    WorkflowResult result =
        engine.run(
            Workflows.failingAtTheEnd(workflow), inputs, RunOptions.defaults().withRollback(true));
    assertThat(result).isRolledBack();
    expectUnchanged("the rollback", before, state.get());
    return result;
  }

  /**
   * A downed dependency ends the run in a typed error: after {@code takeDown} (stop a simulator,
   * inject a fault, open a circuit) the run must fail, with rollback off, with an error of one of
   * the kinds {@code expected} (for example CONNECTION, or the breaker's kind), never an untyped
   * one.
   *
   * @param engine the engine to run on
   * @param workflow the workflow to check
   * @param inputs its inputs
   * @param takeDown takes the dependency down before the run
   * @param expected the error kinds the run may end in, at least one
   * @return the failed run's result, for further checks
   */
  public static WorkflowResult downedDependencyEndsInTypedError(
      WorkflowEngine engine,
      Workflow workflow,
      Map<String, ?> inputs,
      Runnable takeDown,
      ErrorKind... expected) {
    if (expected.length == 0) {
      throw new IllegalArgumentException("expected must name at least one error kind");
    }
    takeDown.run();
    WorkflowResult result = engine.run(workflow, inputs);
    if (result.status() == RunState.COMPLETED) {
      throw new AssertionError("the run completed although its dependency was down");
    }
    if (result.error() == null || !Arrays.asList(expected).contains(result.error().type())) {
      throw new AssertionError(
          "the run ended "
              + result.status()
              + " with error "
              + result.error()
              + "; expected one of the kinds "
              + Arrays.toString(expected));
    }
    return result;
  }

  /**
   * A downed dependency opens its circuit breaker: after {@code takeDown}, the workflow is run
   * again and again (at most {@code maxRuns} times) until a run fails with CIRCUIT_OPEN, the
   * breaker of the core's HTTP client refusing to call the endpoint; every run before it must fail
   * with a typed error (CONNECTION, TIMEOUT or API). Returns the first run the breaker stopped.
   *
   * @param engine the engine to run on
   * @param workflow the workflow to check
   * @param inputs its inputs
   * @param takeDown takes the dependency down before the first run
   * @param maxRuns the most runs before the breaker must have opened
   * @return the result of the run the open breaker failed, for further checks
   */
  public static WorkflowResult downedDependencyOpensTheBreaker(
      WorkflowEngine engine,
      Workflow workflow,
      Map<String, ?> inputs,
      Runnable takeDown,
      int maxRuns) {
    takeDown.run();
    var kinds = new java.util.ArrayList<ErrorKind>();
    for (int i = 0; i < maxRuns; i++) {
      WorkflowResult result = engine.run(workflow, inputs);
      ErrorKind kind = result.error() == null ? null : result.error().type();
      kinds.add(kind);
      if (kind == ErrorKind.CIRCUIT_OPEN) {
        return result;
      }
      if (kind != ErrorKind.CONNECTION && kind != ErrorKind.TIMEOUT && kind != ErrorKind.API) {
        throw new AssertionError(
            "run "
                + (i + 1)
                + " against the downed dependency ended "
                + result.status()
                + " with error "
                + result.error()
                + "; expected CONNECTION, TIMEOUT or API");
      }
    }
    throw new AssertionError(
        "the breaker never opened in "
            + maxRuns
            + " runs against the downed dependency; their"
            + " errors: "
            + kinds);
  }

  /**
   * A stuck step ends at its timeout: step {@code step} is made to hang (it waits through the
   * engine's sleeper, so a manual clock skips the time), and the run must end with a TIMEOUT error
   * on that step, its status TIMEOUT. A step without a timeout fails the check.
   *
   * @param engine the engine to run on; its sleeper is a manual clock's, or the check waits in real
   *     time
   * @param workflow the workflow to check
   * @param inputs its inputs
   * @param step the step made to hang; it must have a timeout
   * @return the timed-out run's result, for further checks
   */
  public static WorkflowResult stuckStepEndsAtItsTimeout(
      WorkflowEngine engine, Workflow workflow, Map<String, ?> inputs, String step) {
    var node = workflow.node(step);
    if (node.isPresent() && node.get().options().timeout() == null) {
      throw new AssertionError(
          "step '" + step + "' of '" + workflow.name() + "' has no timeout: a hang never ends");
    }
    WorkflowResult result = engine.run(Workflows.stuckAt(workflow, step), inputs);
    assertThat(result).failedWith(ErrorKind.TIMEOUT).step(step).timedOut();
    return result;
  }

  /**
   * The run's events were emitted in order (see {@link EventsAssert#areInOrder()}) and its stored
   * journal holds exactly those events.
   *
   * @param engine the engine to run on
   * @param workflow the workflow to check
   * @param inputs its inputs
   * @param log the log the engine delivers its events to
   * @return the run's result, for further checks
   */
  public static WorkflowResult eventsEmittedInOrder(
      WorkflowEngine engine, Workflow workflow, Map<String, ?> inputs, EventLog log) {
    WorkflowResult result = engine.run(workflow, inputs);
    var delivered = log.of(result.runId());
    assertThatEvents(delivered).areInOrder();
    var journal = engine.events(result.runId());
    if (!journal.equals(
        delivered.stream()
            .sorted(java.util.Comparator.comparingLong(e -> e.sequence()))
            .toList())) {
      throw new AssertionError(
          "the stored journal of run " + result.runId() + " differs from the events delivered");
    }
    return result;
  }

  private static void expectUnchanged(String what, Object before, Object after) {
    if (!Objects.equals(before, after)) {
      throw new AssertionError(
          what + " changed the state:\n  before: " + before + "\n  after:  " + after);
    }
  }
}
