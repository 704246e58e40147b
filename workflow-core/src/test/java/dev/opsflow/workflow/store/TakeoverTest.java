package dev.opsflow.workflow.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.WorkflowRun;
import dev.opsflow.workflow.peers.PostgresPeer;
import dev.opsflow.workflow.spi.ExecutionStore;
import dev.opsflow.workflow.spi.RunRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Takeover without waiting for the lease: a child JVM runs the 5-step workflow with a 1-hour lease
 * and blocks inside s3. While it lives, another engine (real clock) neither recovers nor claims its
 * run: the owner is alive. Once the child is killed with SIGKILL, the OS drops its lock (file
 * store) or PostgreSQL ends its session and its advisory lock, and the same engine takes the run
 * over at once, an hour before the lease ends; no completed step runs again.
 */
class TakeoverTest {
  private static final String HOUR = "3600";
  @TempDir Path tmp;

  @Test
  void aKilledOwnersRunIsTakenOverAtOnceOnTheFileStore() throws Exception {
    Path dir = tmp.resolve("store");
    Path effects = tmp.resolve("effects.txt");
    takeOverAfterKill(
        () -> FileExecutionStore.open(dir),
        Map.of(),
        "file",
        dir.toString(),
        "takeover-file",
        effects.toString(),
        "s3",
        "BEFORE_EFFECT",
        HOUR);
    assertThat(Files.readAllLines(effects)).containsExactly("s1", "s2", "s3", "s4", "s5");
  }

  @Test
  void aKilledOwnersRunIsTakenOverAtOnceOnPostgres() throws Exception {
    PostgresPeer server = TestDatabases.postgresServer();
    try (TestPool pool = TestDatabases.postgres()) {
      Path effects = tmp.resolve("effects.txt");
      takeOverAfterKill(
          () -> JdbcExecutionStore.create(pool),
          Map.of("OPSFLOW_PG_USER", server.user(), "OPSFLOW_PG_PASSWORD", server.password()),
          "postgres",
          pool.url(),
          "takeover-pg",
          effects.toString(),
          "s3",
          "BEFORE_EFFECT",
          HOUR);
      assertThat(Files.readAllLines(effects)).containsExactly("s1", "s2", "s3", "s4", "s5");
    }
  }

  private void takeOverAfterKill(
      Supplier<ExecutionStore> stores, Map<String, String> env, String... args) throws Exception {
    String runId = args[2];
    Process child = startChild(env, args);
    try {
      awaitInside(child, args[4]);
      ExecutionStore store = stores.get();
      RunRecord left = store.find(runId).orElseThrow();
      assertThat(left.owner()).isEqualTo("child-engine");
      assertThat(left.leaseUntil()).isAfter(Instant.now().plusSeconds(600));
      var wf = CrashWorkflow.create(Path.of(args[3]));
      try (var engine = WorkflowEngine.builder().store(store).ownerId("taking-engine").build()) {
        assertThat(store.findExpired(Instant.now(), 10)).as("owner alive").isEmpty();
        assertThat(engine.recover(Map.of(CrashWorkflow.NAME, wf))).isEmpty();
        assertThat(store.claim(runId, "taking-engine", Instant.now(), Duration.ofSeconds(30)))
            .as("claim while the owner lives")
            .isEmpty();

        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);

        List<WorkflowRun> taken = recoverOnceGone(engine, Map.of(CrashWorkflow.NAME, wf));
        assertThat(taken).extracting(WorkflowRun::runId).containsExactly(runId);
        WorkflowResult result = taken.get(0).await(Duration.ofSeconds(30));
        assertThat(result.status()).isEqualTo(RunState.COMPLETED);
      }
    } finally {
      child.destroyForcibly();
      child.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /**
   * The file store sees a dead process's lock free as soon as {@code waitFor} returns; PostgreSQL
   * ends the killed client's session when it notices the closed socket, a moment later: the
   * recovery is asked again until then (bounded by 10 s, far below the hour of the lease).
   */
  private static List<WorkflowRun> recoverOnceGone(
      WorkflowEngine engine, Map<String, dev.opsflow.workflow.Workflow> workflows)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      List<WorkflowRun> taken = engine.recover(workflows);
      if (!taken.isEmpty() || System.nanoTime() > deadline) {
        return taken;
      }
      Thread.sleep(20);
    }
  }

  private Process startChild(Map<String, String> env, String... args) throws IOException {
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
    return pb.start();
  }

  private void awaitInside(Process child, String step) throws Exception {
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
    assertThat(inside.get(60, TimeUnit.SECONDS))
        .as(
            "child reached %s; stderr:%n%s",
            step, Files.readString(tmp.resolve("child-stderr.txt")))
        .isTrue();
  }
}
