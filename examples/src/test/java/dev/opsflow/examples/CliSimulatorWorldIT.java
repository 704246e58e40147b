package dev.opsflow.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.StepOutcome;
import dev.opsflow.workflow.StepStatus;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.spi.RunQuery;
import dev.opsflow.workflow.spi.RunRecord;
import dev.opsflow.workflow.store.FileExecutionStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The real {@code opsflow.jar} on its embedded simulators, whose state lives beside the store: a
 * run killed with SIGKILL is resumed by a new process, which meets the same simulated cluster on
 * the same port and continues without repeating a completed step.
 */
class CliSimulatorWorldIT {
  @TempDir Path home;

  private Path store() {
    return home.resolve("store");
  }

  private OpsflowProcess opsflow(String... args) throws Exception {
    var all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--store", store().toString()));
    return OpsflowProcess.start(home, Map.of(), all);
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

  @Test
  void aSimulatorRunKilledWithSigkillResumesInANewProcessOnTheSameSimulatedCluster()
      throws Exception {
    OpsflowProcess first = opsflow("run", "init-cluster", "--lease", "1s", "--output", "json");
    RunRecord running = awaitStep(first, "await-bootstrap");
    String runId = running.runId();
    first.process.destroyForcibly(); // SIGKILL: the simulators die with it, their state stays
    first.exit();
    assertThat(first.out()).as("nothing printed by a killed run").isEmpty();

    JsonNode cluster =
        Json.mapper()
            .readTree(store().resolve("simulators/redis-enterprise/redis-enterprise.json").toFile())
            .path("cluster");
    assertThat(cluster.path("name").asString()).isEqualTo("redis-cluster");
    assertThat(cluster.path("bootstrapStart").isNull()).isFalse();

    OpsflowProcess resumed = opsflow("resume", runId, "--lease", "1s", "--output", "json");
    assertThat(resumed.exit()).as(resumed.err()).isZero();
    WorkflowResult result = WorkflowResult.fromJson(resumed.out());
    assertThat(result.runId()).isEqualTo(runId);
    assertThat(result.status()).isEqualTo(RunState.COMPLETED);
    assertThat(resumed.err()).doesNotContain("in use by another opsflow process");

    // The journal: steps that completed before the kill never started again after it; the one
    // that was waiting for the bootstrap finished it on the same simulated node.
    List<WorkflowEvent> journal = FileExecutionStore.open(store()).events(runId);
    Set<String> doneBeforeResume = new HashSet<>();
    boolean afterResume = false;
    for (WorkflowEvent e : journal) {
      if (e instanceof WorkflowEvent.RunStarted s && s.resumed()) {
        afterResume = true;
      } else if (e instanceof WorkflowEvent.StepSucceeded s && !afterResume) {
        doneBeforeResume.add(s.step());
      } else if (e instanceof WorkflowEvent.StepStarted s && afterResume) {
        assertThat(doneBeforeResume).as("started again after resume").doesNotContain(s.step());
      }
    }
    assertThat(afterResume).isTrue();
    assertThat(doneBeforeResume).contains("inspect-cluster", "bootstrap-cluster");

    // The simulated cluster kept the database the resumed run made, for the next process.
    JsonNode databases =
        Json.mapper()
            .readTree(store().resolve("simulators/redis-enterprise/redis-enterprise.json").toFile())
            .path("databases");
    assertThat(databases).hasSize(1);
  }
}
