package dev.opsflow.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.redis.enterprise.testing.RedisBackend;
import dev.opsflow.redis.enterprise.testing.RedisEnterpriseSimulator;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.StepOutcome;
import dev.opsflow.workflow.StepStatus;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.spi.RunQuery;
import dev.opsflow.workflow.spi.RunRecord;
import dev.opsflow.workflow.store.FileExecutionStore;
import dev.opsflow.workflow.testing.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code opsflow cancel --rollback} on the real jar: from another shell, the executing process
 * undoes the run's completed steps although it was started without {@code --rollback}; for a run
 * whose process was killed, the cancelling process rolls it back itself. The cluster is a simulator
 * in this JVM on a manual clock, so the run waits in {@code await-database} until the test is done
 * with it (it outlives the opsflow processes, as a real cluster does).
 */
class CliCancelRollbackIT {
  private static final String USER = "admin@cancel.example";
  private static final String PASSWORD = "pw-cancel-rollback-1";

  @TempDir Path home;
  private final ManualClock clock = new ManualClock();
  private RedisEnterpriseSimulator cluster;
  private Path ca;

  @BeforeEach
  void startCluster() throws Exception {
    cluster =
        RedisEnterpriseSimulator.builder()
            .clock(clock)
            .redisBackend(RedisBackend.RESPONDER)
            .start();
    ca = Files.writeString(home.resolve("re-ca.pem"), cluster.certificatePem());
  }

  @AfterEach
  void stopCluster() {
    cluster.close();
  }

  private Path store() {
    return home.resolve("store");
  }

  private OpsflowProcess opsflow(String... args) throws Exception {
    var all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--store", store().toString()));
    return OpsflowProcess.start(home, Map.of("RE_PW", PASSWORD), all);
  }

  /** init-cluster on the cluster, without --rollback, holding its run with {@code lease}. */
  private OpsflowProcess initCluster(String lease) throws Exception {
    return opsflow(
        "run",
        "init-cluster",
        "--target",
        "real",
        "url=" + cluster.url(),
        "username=" + USER,
        "password=@env:RE_PW",
        "caCertFile=" + ca,
        "--lease",
        lease,
        "--output",
        "json");
  }

  /**
   * Waits for {@code child} to end while the cluster's clock moves on (a deleted database is gone
   * once its deletion time passed), and returns its exit status.
   */
  private int exitWhileTimeMoves(OpsflowProcess child) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (child.process.isAlive() && System.nanoTime() < end) {
      clock.advance(Duration.ofSeconds(1));
      Thread.sleep(100); // the simulated cluster's time passing, not a wait for a race
    }
    return child.exit();
  }

  /** Waits (30 s at most) until the store shows a run of {@code child} in {@code step}. */
  private RunRecord awaitStep(OpsflowProcess child, String step) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < end) {
      if (Files.isDirectory(store())) {
        for (RunRecord r : FileExecutionStore.open(store()).query(RunQuery.all())) {
          Optional<StepOutcome> o =
              r.steps().stream().filter(s -> s.name().equals(step)).findFirst();
          if (!r.state().isFinished() && o.isPresent() && o.get().status() == StepStatus.RUNNING) {
            return r;
          }
        }
      }
      assertThat(child.process.isAlive()).as("opsflow ended early: %s", child.err()).isTrue();
      Thread.sleep(50); // polling the store for a condition, not waiting for a race to settle
    }
    throw new AssertionError("no run reached " + step + " within 30 s; stderr: " + child.err());
  }

  /** Starts init-cluster and waits until it created its database and waits for it. */
  private RunRecord runUntilTheDatabaseIsCreated(OpsflowProcess child) throws Exception {
    awaitStep(child, "await-bootstrap");
    clock.advance(Duration.ofMinutes(5)); // the bootstrap completes; the database never does
    return awaitStep(child, "await-database");
  }

  private void assertRolledBack(WorkflowResult result, String runId) {
    assertThat(result.runId()).isEqualTo(runId);
    assertThat(result.status()).isEqualTo(RunState.ROLLED_BACK);
    assertThat(result.step("create-database").orElseThrow().status())
        .isEqualTo(StepStatus.COMPENSATED);
    assertThat(
            cluster.requests(r -> r.method().equals("DELETE") && r.path().startsWith("/v1/bdbs")))
        .as("the database the run created was deleted once")
        .hasSize(1);
  }

  @Test
  void cancelWithRollbackFromAnotherShellUndoesTheRunInItsOwnProcess() throws Exception {
    // A lease of 5 s: on a loaded machine the executing process is not mistaken for a dead one.
    OpsflowProcess child = initCluster("5s");
    String runId = runUntilTheDatabaseIsCreated(child).runId();

    OpsflowProcess cancel = opsflow("cancel", runId, "--rollback", "--output", "json");

    assertThat(exitWhileTimeMoves(cancel)).as(cancel.err()).isEqualTo(12);
    assertRolledBack(WorkflowResult.fromJson(cancel.out()), runId);
    assertThat(child.exit()).as(child.err()).isEqualTo(12);
    assertThat(WorkflowResult.fromJson(child.out()).status()).isEqualTo(RunState.ROLLED_BACK);
  }

  @Test
  void cancelWithRollbackOfARunWhoseProcessWasKilledRollsItBackInTheCancellingProcess()
      throws Exception {
    OpsflowProcess child = initCluster("1s");
    String runId = runUntilTheDatabaseIsCreated(child).runId();
    child.process.destroyForcibly(); // SIGKILL: the run stays RUNNING in the store
    child.exit();

    // The run's secrets again, as for resume: its compensation talks to the cluster.
    OpsflowProcess cancel =
        opsflow(
            "cancel",
            runId,
            "password=@env:RE_PW",
            "--rollback",
            "--target",
            "real",
            "--lease",
            "1s",
            "--output",
            "json");

    assertThat(exitWhileTimeMoves(cancel)).as(cancel.err()).isEqualTo(12);
    assertRolledBack(WorkflowResult.fromJson(cancel.out()), runId);
    assertThat(FileExecutionStore.open(store()).find(runId).orElseThrow().state())
        .isEqualTo(RunState.ROLLED_BACK);
  }

  @Test
  void secretsWithoutRollbackAreAUsageError() throws Exception {
    OpsflowProcess cancel = opsflow("cancel", "some-run", "password=@env:RE_PW");
    assertThat(cancel.exit()).as(cancel.err()).isEqualTo(2);
    assertThat(cancel.err()).contains("only a cancel with --rollback takes secret inputs");
  }
}
