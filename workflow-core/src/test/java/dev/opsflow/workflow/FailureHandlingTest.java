package dev.opsflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.event.WorkflowEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FailureHandlingTest {
  final Recorder recorder = new Recorder();
  final WorkflowEngine engine = WorkflowEngine.builder().listener(recorder).build();
  final List<String> log = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    engine.close();
  }

  private Step reversible(String name) {
    return Step.builder(name)
        .run(ctx -> log.add("do " + name))
        .compensate(ctx -> log.add("undo " + name))
        .build();
  }

  private Workflow threeThenFail() {
    return Workflow.builder("provision")
        .step(reversible("network"))
        .step(reversible("server"))
        .step("configure", ctx -> log.add("do configure (no undo)"))
        .step(
            "verify",
            ctx -> {
              throw new IllegalStateException("health check failed");
            })
        .build();
  }

  @Test
  void withRollbackCompensationsRunInReverseOrderAndTheRunIsRolledBack() {
    WorkflowResult result =
        engine.run(threeThenFail(), Map.of(), RunOptions.defaults().withRollback(true));

    assertThat(result.status()).isEqualTo(RunState.ROLLED_BACK);
    assertThat(log)
        .containsExactly(
            "do network", "do server", "do configure (no undo)", "undo server", "undo network");
    assertThat(result.step("server").orElseThrow().status()).isEqualTo(StepStatus.COMPENSATED);
    assertThat(result.step("configure").orElseThrow().status()).isEqualTo(StepStatus.COMPLETED);
    assertThat(result.error().step()).isEqualTo("verify");
    assertThat(recorder.of(WorkflowEvent.Compensation.class))
        .extracting(WorkflowEvent.Compensation::step)
        .containsExactly("server", "network");
  }

  @Test
  void aFailedCompensationMakesTheRunFailedAndNamesIt() {
    var wf =
        Workflow.builder("leaky")
            .step(reversible("network"))
            .step(
                Step.builder("server")
                    .run(ctx -> {})
                    .compensate(
                        ctx -> {
                          throw new IllegalStateException("delete refused");
                        })
                    .build())
            .step(
                "verify",
                ctx -> {
                  throw new IllegalStateException("boom");
                })
            .build();

    WorkflowResult result = engine.run(wf, Map.of(), RunOptions.defaults().withRollback(true));

    assertThat(result.status()).isEqualTo(RunState.FAILED);
    assertThat(result.message()).contains("compensation of [server] failed");
    assertThat(result.error().details()).containsEntry("failedCompensations", List.of("server"));
    assertThat(result.step("server").orElseThrow().status())
        .isEqualTo(StepStatus.COMPENSATION_FAILED);
    assertThat(log).contains("undo network");
  }

  @Test
  void withoutRollbackAFailureAfterCompletedStepsIsPartialWithRecoverySuggestions() {
    WorkflowResult result = engine.run(threeThenFail(), Map.of());

    assertThat(result.status()).isEqualTo(RunState.PARTIAL);
    assertThat(result.success()).isFalse();
    assertThat(log).noneMatch(l -> l.startsWith("undo"));
    assertThat(result.steps())
        .extracting(StepOutcome::status)
        .containsExactly(
            StepStatus.COMPLETED, StepStatus.COMPLETED, StepStatus.COMPLETED, StepStatus.FAILED);
    assertThat(result.error().suggestions())
        .anySatisfy(s -> assertThat(s).contains("resume").contains(result.runId()));
    assertThat(result.error().message()).contains("health check failed");
  }

  @Test
  void aFailureOfTheFirstStepIsFailedNotPartial() {
    var wf =
        Workflow.builder("early")
            .step(
                "first",
                ctx -> {
                  throw new IllegalStateException("nope");
                })
            .step("second", ctx -> {})
            .build();

    WorkflowResult result = engine.run(wf, Map.of());

    assertThat(result.status()).isEqualTo(RunState.FAILED);
    assertThat(result.error().step()).isEqualTo("first");
  }

  @Test
  void theErrorNamesTheSubTaskTheStepWasIn() {
    var wf =
        Workflow.builder("where")
            .step(
                "export",
                ctx -> {
                  ctx.subTask("Exporting BIOS config...");
                  throw new java.io.UncheckedIOException(new java.io.IOException("BMC went away"));
                })
            .build();

    WorkflowResult result = engine.run(wf, Map.of());

    assertThat(result.error().subTask()).isEqualTo("Exporting BIOS config...");
  }

  @Test
  void dryRunRunsNoStepWithSideEffectsAndSaysWhatEachWouldDo() {
    var sideEffects = new CopyOnWriteArrayList<String>();
    var lookups = new CopyOnWriteArrayList<String>();
    var wf =
        Workflow.builder("plan")
            .step(Step.builder("lookup").readOnly().run(ctx -> lookups.add("looked up")).build())
            .step(
                Step.builder("create-db")
                    .run(ctx -> sideEffects.add("created"))
                    .describe("create database 'default-db' of 1 GB")
                    .build())
            .step(
                Step.builder("already")
                    .precheck(ctx -> java.util.Optional.of("exists"))
                    .run(ctx -> sideEffects.add("ran"))
                    .build())
            .build();

    WorkflowResult result = engine.run(wf, Map.of(), RunOptions.defaults().withDryRun(true));

    assertThat(sideEffects).isEmpty();
    assertThat(lookups).containsExactly("looked up");
    assertThat(result.success()).isTrue();
    assertThat(result.dryRun()).isTrue();
    assertThat(result.step("create-db").orElseThrow().status()).isEqualTo(StepStatus.DRY_RUN);
    assertThat(result.step("create-db").orElseThrow().description())
        .isEqualTo("create database 'default-db' of 1 GB");
    assertThat(result.step("already").orElseThrow().status()).isEqualTo(StepStatus.SKIPPED);
  }

  /** A step that re-throws a timeout or a cancel with more to say keeps its status. */
  @Test
  void aTimeoutOrCancelRethrownWithSuggestionsKeepsItsStatus() {
    var timedOut =
        Workflow.builder("rethrows-timeout")
            .step(
                "wait",
                ctx -> {
                  try {
                    throw new StepTimeoutException("timed out waiting for task 9");
                  } catch (StepTimeoutException e) {
                    throw e.withSuggestions(List.of("look at task 9 in the console"));
                  }
                })
            .build();
    var wrapped =
        Workflow.builder("wraps-cancel")
            .step(
                "wait",
                ctx -> {
                  throw new WorkflowException(
                      ErrorKind.CANCELLED,
                      "stopped by the operator",
                      null,
                      false,
                      Map.of(),
                      List.of("run it again when ready"));
                })
            .build();

    WorkflowResult first = engine.run(timedOut, Map.of());
    WorkflowResult second = engine.run(wrapped, Map.of());

    assertThat(first.steps().get(0).status()).isEqualTo(StepStatus.TIMEOUT);
    assertThat(first.error().suggestions()).contains("look at task 9 in the console");
    assertThat(second.steps().get(0).status()).isEqualTo(StepStatus.CANCELLED);
    assertThat(second.status()).isEqualTo(RunState.CANCELLED);
  }
}
