package dev.opsflow.workflow.test;

import static dev.opsflow.workflow.test.WorkflowAssertions.assertThat;
import static dev.opsflow.workflow.test.WorkflowAssertions.assertThatEvents;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.event.WorkflowEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The kit's assertions pass on what is true and fail, saying why, on what is not. */
@ExtendWith(WorkflowExtension.class)
class WorkflowAssertionsTest {

  Workflow registerServer() {
    return Workflow.builder("register-server")
        .step("resolve", ctx -> ctx.output("address", "db-01:22"))
        .step(
            Step.builder("register")
                .precheck(ctx -> Optional.of("db-01 is registered already"))
                .run(ctx -> {})
                .build())
        .build();
  }

  @Test
  void aCompletedRunsStepsAreCheckedOneAfterAnother(WorkflowEngine engine) {
    WorkflowResult result = engine.run(registerServer(), Map.of());

    assertThat(result)
        .isCompleted()
        .hasOutput("address", "db-01:22")
        .step("resolve")
        .wasCompleted()
        .tookAttempts(1)
        .step("register")
        .wasSkippedBecause("registered already");
  }

  @Test
  void aWrongStatusFailsWithTheRunsStepsInTheMessage(WorkflowEngine engine) {
    WorkflowResult result = engine.run(registerServer(), Map.of());

    assertThatThrownBy(() -> assertThat(result).isFailed())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("to end FAILED but it ended COMPLETED")
        .hasMessageContaining("register=SKIPPED");
    assertThatThrownBy(() -> assertThat(result).step("register").wasCompleted())
        .hasMessageContaining("Expected step 'register' to be COMPLETED but it was SKIPPED");
    assertThatThrownBy(() -> assertThat(result).step("deploy"))
        .hasMessageContaining("to have a step 'deploy' but its steps were [resolve, register]");
    assertThatThrownBy(() -> assertThat(result).failedWith(ErrorKind.TIMEOUT))
        .hasMessageContaining("to fail with a TIMEOUT error");
  }

  @Test
  void eventsOutOfOrderOrWithAGapAreReported(WorkflowEngine engine, EventLog events) {
    WorkflowResult result = engine.run(registerServer(), Map.of());
    assertThat(events)
        .areInOrder()
        .startedSteps("resolve")
        .haveTypes(
            WorkflowEvent.RunStarted.class,
            WorkflowEvent.StepStarted.class,
            WorkflowEvent.StepSucceeded.class,
            WorkflowEvent.StepSkipped.class,
            WorkflowEvent.RunFinished.class);

    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    List<WorkflowEvent> gap =
        List.of(
            new WorkflowEvent.RunStarted("r", 1, t, "w", 1, 1, false, false),
            new WorkflowEvent.StepSucceeded("r", 3, t, "s", 1, 0));
    assertThatThrownBy(() -> assertThatEvents(gap).areInOrder())
        .hasMessageContaining("numbered 1, 2, 3... but event 2 is StepSucceeded");
    List<WorkflowEvent> unstarted =
        List.of(
            new WorkflowEvent.RunStarted("r", 1, t, "w", 1, 1, false, false),
            new WorkflowEvent.StepSucceeded("r", 2, t, "s", 1, 0));
    assertThatThrownBy(() -> assertThatEvents(unstarted).areInOrder())
        .hasMessageContaining("attempt 1 of step 's' in run r to have started");
    assertThatThrownBy(() -> assertThat(events).retried("resolve", 1))
        .hasMessageContaining("Expected step 'resolve' to be retried 1 time(s) but got 0");
    assertThat(result).isCompleted();
  }
}
