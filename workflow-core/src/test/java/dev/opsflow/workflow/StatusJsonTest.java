package dev.opsflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.testing.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The status JSON is a contract: docs/result-json.md shows a real snapshot made here. */
class StatusJsonTest {
  static final Path DOC = Path.of("..", "docs", "result-json.md");

  /** A live snapshot taken while init-cluster's second step reports a sub-task. */
  static RunStatus exampleStatus() throws Exception {
    var clock = new ManualClock();
    var inStep = new CountDownLatch(1);
    var release = new CountDownLatch(1);
    var wf =
        Workflow.builder("init-cluster")
            .step(
                Step.builder("bootstrap")
                    .precheck(ctx -> Optional.of("cluster already bootstrapped"))
                    .run(ctx -> {})
                    .build())
            .step(
                "create-database",
                ctx -> {
                  ctx.sleep(Duration.ofSeconds(12));
                  ctx.progress(40);
                  ctx.subTask("waiting for database 1 to become active");
                  inStep.countDown();
                  release.await();
                })
            .step("verify-connectivity", ctx -> {})
            .build();
    try (var engine = WorkflowEngine.builder().clock(clock).sleeper(clock).build()) {
      var run = engine.start(wf, Map.of(), RunOptions.defaults().withRunId("run-0001"));
      assertThat(inStep.await(30, TimeUnit.SECONDS)).isTrue();
      RunStatus status = run.status();
      release.countDown();
      run.await();
      return status;
    }
  }

  @Test
  void statusJsonRoundTrips() throws Exception {
    RunStatus status = exampleStatus();

    assertThat(RunStatus.fromJson(status.toJson())).isEqualTo(status);
  }

  @Test
  void theDocumentedSnapshotIsWhatTheEngineProduces() throws Exception {
    String doc = Files.readString(DOC);
    var m = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL).matcher(doc);
    List<String> examples = new ArrayList<>();
    while (m.find()) {
      examples.add(m.group(1).strip());
    }
    assertThat(examples).as("docs/result-json.md has the status example").hasSizeGreaterThan(1);
    assertThat(examples.get(1)).isEqualTo(exampleStatus().toJson().strip());
  }

  @Test
  void everySeedStatusFieldHasItsDocumentedCounterpart() throws Exception {
    // HWAutomation's status fields, mapped one to one in docs/result-json.md.
    String doc = Files.readString(DOC);
    String json = exampleStatus().toJson();
    Map<String, String> seedToOurs =
        Map.of(
            "id", "runId",
            "status", "state",
            "progress", "progressPercent",
            "current_step", "currentStep",
            "current_sub_task", "currentSubTask",
            "steps_completed", "stepsCompleted",
            "total_steps", "totalSteps");
    seedToOurs.forEach(
        (seed, ours) -> {
          assertThat(doc).contains("| `" + seed + "` | `" + ours + "` |");
          assertThat(json).contains("\"" + ours + "\"");
        });
  }
}
