package dev.opsflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.testing.ManualClock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EngineBasicsTest {
  static final Key<String> NAME = Key.of("name", String.class);
  static final Key<String> GREETING = Key.of("greeting", String.class);

  final ManualClock clock = new ManualClock();
  final Recorder recorder = new Recorder();
  final WorkflowEngine engine =
      WorkflowEngine.builder().clock(clock).sleeper(clock).listener(recorder).build();

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void runsStepsInOrderSharingTypedContext() {
    var order = new CopyOnWriteArrayList<String>();
    var wf =
        Workflow.builder("greet")
            .input(Input.required(NAME))
            .step(
                "compose",
                ctx -> {
                  order.add("compose");
                  ctx.put(GREETING, "Hello, " + ctx.require(NAME));
                })
            .step(
                "publish",
                ctx -> {
                  order.add("publish");
                  ctx.output("greeting", ctx.require(GREETING));
                })
            .build();

    WorkflowResult result = engine.run(wf, Map.of("name", "Ada"));

    assertThat(result.success()).isTrue();
    assertThat(result.status()).isEqualTo(RunState.COMPLETED);
    assertThat(result.outputs()).containsEntry("greeting", "Hello, Ada");
    assertThat(order).containsExactly("compose", "publish");
    assertThat(result.steps())
        .extracting(StepOutcome::status)
        .containsExactly(StepStatus.COMPLETED, StepStatus.COMPLETED);
  }

  @Test
  void precheckThatFindsWorkDoneSkipsTheStepWithItsReason() {
    var runs = new AtomicInteger();
    var bootstrap =
        Step.builder("bootstrap")
            .precheck(ctx -> Optional.of("cluster already bootstrapped"))
            .run(ctx -> runs.incrementAndGet())
            .build();
    var wf = Workflow.builder("init").step(bootstrap).step("after", ctx -> {}).build();

    WorkflowResult result = engine.run(wf, Map.of());

    assertThat(result.success()).isTrue();
    assertThat(runs).hasValue(0);
    assertThat(result.step("bootstrap").orElseThrow().status()).isEqualTo(StepStatus.SKIPPED);
    assertThat(result.step("bootstrap").orElseThrow().skipReason())
        .isEqualTo("cluster already bootstrapped");
    assertThat(recorder.of(WorkflowEvent.StepSkipped.class))
        .singleElement()
        .extracting(WorkflowEvent.StepSkipped::reason)
        .isEqualTo("cluster already bootstrapped");
  }

  @Test
  void stepWhoseConditionIsFalseIsSkipped() {
    var ran = new AtomicInteger();
    var wf =
        Workflow.builder("cond")
            .step(
                "maybe",
                ctx -> ran.incrementAndGet(),
                StepOptions.defaults().withCondition(ctx -> false))
            .build();

    WorkflowResult result = engine.run(wf, Map.of());

    assertThat(ran).hasValue(0);
    assertThat(result.steps().get(0).status()).isEqualTo(StepStatus.SKIPPED);
    assertThat(result.steps().get(0).skipReason()).isEqualTo("condition not met");
  }

  @Test
  void eventsCarryIncreasingSequenceNumbersAndTheRunId() {
    var wf = Workflow.builder("seq").step("a", ctx -> {}).step("b", ctx -> {}).build();

    WorkflowResult result = engine.run(wf, Map.of());

    List<WorkflowEvent> events = recorder.events;
    assertThat(events).extracting(WorkflowEvent::runId).containsOnly(result.runId());
    assertThat(events).extracting(WorkflowEvent::sequence).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(events.get(0)).isInstanceOf(WorkflowEvent.RunStarted.class);
    assertThat(events.get(events.size() - 1)).isInstanceOf(WorkflowEvent.RunFinished.class);
    assertThat(engine.events(result.runId())).containsExactlyElementsOf(events);
  }

  @Test
  void aListenerThatThrowsNeverBreaksTheRun() {
    try (var noisy =
        WorkflowEngine.builder()
            .listener(
                e -> {
                  throw new IllegalStateException("listener bug");
                })
            .listener(recorder)
            .build()) {
      var wf = Workflow.builder("robust").step("a", ctx -> {}).build();

      WorkflowResult result = noisy.run(wf, Map.of());

      assertThat(result.success()).isTrue();
      assertThat(recorder.of(WorkflowEvent.RunFinished.class)).hasSize(1);
    }
  }

  @Test
  void subWorkflowRunsAsOneStepSharingTheContext() {
    var child =
        Workflow.builder("child")
            .step("inner-a", ctx -> ctx.put(GREETING, "from child"))
            .step("inner-b", ctx -> ctx.output("inner", ctx.require(GREETING)))
            .build();
    var wf =
        Workflow.builder("parent")
            .step("before", ctx -> {})
            .subWorkflow("nested", child)
            .step("after", ctx -> ctx.output("seen", ctx.require(GREETING)))
            .build();

    WorkflowResult result = engine.run(wf, Map.of());

    assertThat(result.success()).isTrue();
    assertThat(result.outputs())
        .containsEntry("inner", "from child")
        .containsEntry("seen", "from child");
    assertThat(result.steps())
        .extracting(StepOutcome::name)
        .containsExactly("before", "nested", "nested/inner-a", "nested/inner-b", "after");
  }

  @Test
  void statusReportsProgressCurrentStepAndSubTask() throws Exception {
    var inside = new java.util.concurrent.CountDownLatch(1);
    var release = new java.util.concurrent.CountDownLatch(1);
    var wf =
        Workflow.builder("watch")
            .step("first", ctx -> {})
            .step(
                "second",
                ctx -> {
                  ctx.subTask("Exporting BIOS config...");
                  ctx.progress(50);
                  inside.countDown();
                  release.await();
                })
            .build();
    try (var realTime = WorkflowEngine.builder().build()) {
      WorkflowRun run = realTime.start(wf, Map.of());
      assertThat(inside.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

      RunStatus status = run.status();

      assertThat(status.state()).isEqualTo(RunState.RUNNING);
      assertThat(status.currentStep()).isEqualTo("second");
      assertThat(status.currentSubTask()).isEqualTo("Exporting BIOS config...");
      assertThat(status.stepsCompleted()).isEqualTo(1);
      assertThat(status.totalSteps()).isEqualTo(2);
      assertThat(status.progressPercent()).isEqualTo(75);
      release.countDown();
      assertThat(run.await(java.time.Duration.ofSeconds(30)).success()).isTrue();
      assertThat(run.status().progressPercent()).isEqualTo(100);
    }
  }

  @Test
  void stepsSeeRunAndStepInTheLoggingContext() throws Exception {
    // slf4j-simple has no MDC; give SLF4J a real one so the engine's MDC is visible.
    var field = org.slf4j.MDC.class.getDeclaredField("MDC_ADAPTER");
    field.setAccessible(true);
    field.set(null, new org.slf4j.helpers.BasicMDCAdapter());
    var seen = new java.util.concurrent.atomic.AtomicReference<Map<String, String>>();
    var wf =
        Workflow.builder("mdc")
            .step("look", ctx -> seen.set(org.slf4j.MDC.getCopyOfContextMap()))
            .build();

    WorkflowResult result = engine.run(wf, Map.of());

    assertThat(seen.get())
        .containsEntry("opsflow.runId", result.runId())
        .containsEntry("opsflow.workflow", "mdc")
        .containsEntry("opsflow.step", "look");
  }
}
