package dev.opsflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.testing.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The result's JSON is a contract: docs/result-json.md shows a real example made here. */
class ResultJsonTest {
  static final Path DOC = Path.of("..", "docs", "result-json.md");
  static final Key<String> CLUSTER = Key.of("clusterName", String.class);

  static WorkflowResult examplePartialResult() {
    var clock = new ManualClock();
    var wf =
        Workflow.builder("init-cluster")
            .input(Input.optional(CLUSTER, "redis-cluster"))
            .step(
                Step.builder("bootstrap")
                    .precheck(ctx -> Optional.of("cluster already bootstrapped"))
                    .run(ctx -> {})
                    .build())
            .step(
                "create-database",
                ctx -> {
                  ctx.sleep(Duration.ofSeconds(12));
                  ctx.output("database_id", 1);
                  ctx.output("database_name", "default-db");
                })
            .step(
                "verify-connectivity",
                ctx -> {
                  ctx.subTask("PING redis-12000.cluster.local:12000");
                  ctx.sleep(Duration.ofSeconds(3));
                  throw new java.net.ConnectException("Connection refused");
                },
                StepOptions.defaults()
                    .withRetry(
                        Retries.exponential(2, Duration.ofSeconds(1), Duration.ofSeconds(2))))
            .build();
    try (var engine = WorkflowEngine.builder().clock(clock).sleeper(clock).build()) {
      return engine.run(wf, Map.of(), RunOptions.defaults().withRunId("run-0001"));
    }
  }

  @Test
  void resultJsonRoundTrips() {
    WorkflowResult result = examplePartialResult();

    assertThat(WorkflowResult.fromJson(result.toJson())).isEqualTo(result);
  }

  @Test
  void theDocumentedExampleIsWhatTheEngineProduces() throws Exception {
    String json =
        examplePartialResult().toJson().replaceAll("\"delayMs\" : \\d+", "\"delayMs\" : 0");
    // Jitter makes the retry delay vary: normalise the times it moves.
    json =
        json.replaceAll(
                "\"(finishedAt|startedAt)\" : \"2026-01-01T00:00:1[5-9][^\"]*\"",
                "\"$1\" : \"<time>\"")
            .replaceAll("\"durationMs\" : (6[0-9]{3}|7[0-9]{3})", "\"durationMs\" : <ms>");
    String doc = Files.readString(DOC);
    var m = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL).matcher(doc);
    assertThat(m.find()).as("docs/result-json.md has a json example").isTrue();
    assertThat(m.group(1).strip()).isEqualTo(json.strip());
  }
}
