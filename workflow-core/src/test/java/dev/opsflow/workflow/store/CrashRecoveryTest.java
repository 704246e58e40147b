package dev.opsflow.workflow.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.StepStatus;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.WorkflowRun;
import dev.opsflow.workflow.peers.PostgresPeer;
import dev.opsflow.workflow.spi.ExecutionStore;
import dev.opsflow.workflow.spi.RunRecord;
import dev.opsflow.workflow.store.CrashWorkflow.Stop;
import dev.opsflow.workflow.testing.ManualClock;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A child JVM runs the 5-step workflow and is killed with SIGKILL inside a step; a fresh engine in
 * this JVM recovers the run once the child's 1 s lease expired (a ManualClock set past it). Every
 * step that completed before the kill ran exactly once in total; the step that was interrupted runs
 * again (once more if its side effect happened before the kill: steps must be idempotent).
 */
class CrashRecoveryTest {
  private static final Duration CHILD_LIMIT = Duration.ofSeconds(60);
  @TempDir Path tmp;

  @ParameterizedTest(name = "killed inside {0}, {1}")
  @CsvSource({"s1, BEFORE_EFFECT", "s3, BEFORE_EFFECT", "s3, AFTER_EFFECT", "s5, AFTER_EFFECT"})
  void aRunKilledOnTheFileStoreResumesWithoutRepeatingCompletedSteps(String step, Stop stop)
      throws Exception {
    Path dir = tmp.resolve("store");
    Path effects = tmp.resolve("effects.txt");
    String runId = "crash-" + step + "-" + stop;

    killChildInside(
        step, Map.of(), "file", dir.toString(), runId, effects.toString(), step, stop.name());

    resumeAndVerify(FileExecutionStore.open(dir), runId, effects, step, stop);
  }

  @ParameterizedTest(name = "killed inside {0}, {1}")
  @CsvSource({"s2, BEFORE_EFFECT", "s4, AFTER_EFFECT"})
  void aRunKilledOnPostgresResumesWithoutRepeatingCompletedSteps(String step, Stop stop)
      throws Exception {
    PostgresPeer server = TestDatabases.postgresServer();
    try (TestPool pool = TestDatabases.postgres()) {
      Path effects = tmp.resolve("effects.txt");
      String runId = "crash-pg-" + step + "-" + stop;

      killChildInside(
          step,
          Map.of("OPSFLOW_PG_USER", server.user(), "OPSFLOW_PG_PASSWORD", server.password()),
          "postgres",
          pool.url(),
          runId,
          effects.toString(),
          step,
          stop.name());

      resumeAndVerify(JdbcExecutionStore.create(pool), runId, effects, step, stop);
    }
  }

  private void resumeAndVerify(
      ExecutionStore store, String runId, Path effects, String step, Stop stop) throws IOException {
    RunRecord left = store.find(runId).orElseThrow();
    assertThat(left.state()).isEqualTo(RunState.RUNNING);
    assertThat(left.owner()).isEqualTo("child-engine");
    int k = CrashWorkflow.STEPS.indexOf(step);
    assertThat(left.steps().subList(0, k))
        .allSatisfy(o -> assertThat(o.status()).isEqualTo(StepStatus.COMPLETED));

    var clock = new ManualClock(Instant.now().plusSeconds(5));
    var wf = CrashWorkflow.create(effects);
    try (var engine =
        WorkflowEngine.builder()
            .store(store)
            .clock(clock)
            .sleeper(clock)
            .ownerId("resuming-engine")
            .build()) {
      List<WorkflowRun> taken = engine.recover(Map.of(CrashWorkflow.NAME, wf));
      assertThat(taken).extracting(WorkflowRun::runId).containsExactly(runId);
      WorkflowResult result = taken.get(0).await(Duration.ofSeconds(30));
      assertThat(result.status()).isEqualTo(RunState.COMPLETED);

      var expected = new LinkedHashMap<String, Long>();
      CrashWorkflow.STEPS.forEach(
          s -> expected.put(s, s.equals(step) && stop == Stop.AFTER_EFFECT ? 2L : 1L));
      assertThat(countLines(effects)).isEqualTo(expected);

      WorkflowResult again =
          engine.run(wf, Map.of(), RunOptions.defaults().withIdempotencyKey("key-" + runId));
      assertThat(again.runId()).isEqualTo(runId);
      assertThat(countLines(effects)).isEqualTo(expected);
    }
  }

  /** Starts the child, waits (bounded) until it reports being inside {@code step}, SIGKILLs it. */
  private void killChildInside(String step, Map<String, String> env, String... args)
      throws Exception {
    var command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                CrashChild.class.getName()));
    command.addAll(List.of(args));
    var pb = new ProcessBuilder(command).redirectError(tmp.resolve("child-stderr.txt").toFile());
    pb.environment().putAll(env);
    Process child = pb.start();
    try {
      var reader =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      CompletableFuture<Boolean> inside =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  for (String line; (line = reader.readLine()) != null; ) {
                    if (line.equals(CrashWorkflow.INSIDE + step)) {
                      return true;
                    }
                  }
                  return false;
                } catch (IOException e) {
                  return false;
                }
              });
      boolean reached = inside.get(CHILD_LIMIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(reached)
          .as(
              "child reached step %s; its stderr:%n%s",
              step, Files.readString(tmp.resolve("child-stderr.txt")))
          .isTrue();
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
  }

  private static Map<String, Long> countLines(Path file) throws IOException {
    var counts = new LinkedHashMap<String, Long>();
    for (String line : Files.readAllLines(file)) {
      counts.merge(line, 1L, Long::sum);
    }
    return counts;
  }
}
