package dev.opsflow.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.hardware.maas.testing.MaasSimulator;
import dev.opsflow.hardware.redfish.testing.Mockup;
import dev.opsflow.hardware.redfish.testing.RedfishSimulator;
import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.RunStatus;
import dev.opsflow.workflow.StepOutcome;
import dev.opsflow.workflow.StepStatus;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.spi.RunQuery;
import dev.opsflow.workflow.spi.RunRecord;
import dev.opsflow.workflow.store.FileExecutionStore;
import dev.opsflow.workflow.testing.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code opsflow.jar} in child processes, as an operator runs it: killed with SIGKILL and
 * resumed, stopped by SIGTERM, watched and cancelled from a second process, deduplicated by {@code
 * --key} across processes; stdout holds only JSON under {@code --output json}.
 *
 * <p>The simulated rack (MAAS and the BMCs) lives in this JVM, so it outlives the {@code opsflow}
 * processes as a real rack does; its MAAS runs on a manual clock, so commissioning lasts until the
 * test moves time: a run waits in {@code await-commissioned} for as long as a test needs.
 */
class CliProcessIT {
  static final ManualClock MAAS_CLOCK = new ManualClock();
  static MaasSimulator maas;
  static final List<RedfishSimulator> BMCS = new ArrayList<>();

  @TempDir Path home;

  @BeforeAll
  static void rack() {
    maas =
        MaasSimulator.start(MAAS_CLOCK)
            .withTimings(Duration.ofHours(1), Duration.ZERO, Duration.ofHours(1), Duration.ZERO);
  }

  @AfterAll
  static void stopRack() {
    BMCS.forEach(RedfishSimulator::close);
    if (maas != null) {
      maas.close();
    }
  }

  /**
   * A new machine with its BMC; the inputs of server-provisioning on it, as an operator gives them.
   */
  private List<String> machine(String hostname) throws Exception {
    var bmc = RedfishSimulator.start(Mockup.builtIn(), Clock.systemUTC());
    BMCS.add(bmc);
    String id = maas.addMachine(hostname);
    maas.assignIpAddress(id, "10.20.0." + (10 + BMCS.size()));
    Path ca = Files.writeString(home.resolve(hostname + "-ca.pem"), bmc.certificatePem());
    bmcPassword = bmc.password().reveal();
    return List.of(
        "systemId=" + id,
        "deviceType=a1.c5.large",
        "bmcAddress=" + bmc.origin().replaceFirst("^https://", ""),
        "bmcUsername=" + bmc.username(),
        "bmcPassword=@env:BMC_PW",
        "bmcCaCertFile=" + ca,
        "targetBmcIp=192.168.1.100",
        "targetBmcGateway=192.168.1.1");
  }

  private String bmcPassword;

  private Map<String, String> env() {
    return Map.of(
        "OPSFLOW_MAAS_URL", maas.baseUri(),
        "OPSFLOW_MAAS_API_KEY", maas.apiKey().reveal(),
        "BMC_PW", bmcPassword);
  }

  private Path store() {
    return home.resolve("store");
  }

  private OpsflowProcess opsflow(List<String> args) throws Exception {
    var all = new ArrayList<>(args);
    all.addAll(List.of("--store", store().toString()));
    return OpsflowProcess.start(home, env(), all);
  }

  private OpsflowProcess provision(String hostname, String... more) throws Exception {
    var args = new ArrayList<>(List.of("run", "server-provisioning", "--target", "real"));
    args.addAll(machine(hostname));
    args.addAll(List.of("--lease", "1s", "--output", "json"));
    args.addAll(List.of(more));
    return opsflow(args);
  }

  /** Waits (30 s at most) until the store shows a run of {@code child} in {@code step}. */
  private RunRecord awaitStep(OpsflowProcess child, String step) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < end) {
      if (Files.isDirectory(store())) {
        var store = FileExecutionStore.open(store());
        for (RunRecord r : store.query(RunQuery.all())) {
          Optional<StepOutcome> o =
              r.steps().stream().filter(s -> s.name().equals(step)).findFirst();
          if (!r.state().isFinished() && o.isPresent() && o.get().status() == StepStatus.RUNNING) {
            return r;
          }
        }
      }
      assertThat(child.process.isAlive()).as("opsflow ended early: %s", child.err()).isTrue();
      Thread.onSpinWait();
      Thread.sleep(50); // polling the store for a condition, not waiting for a race to settle
    }
    throw new AssertionError("no run reached " + step + " within 30 s; stderr: " + child.err());
  }

  @Test
  void aRunKilledWithSigkillResumesInANewProcessWithoutRepeatingACompletedStep() throws Exception {
    OpsflowProcess first = provision("kill-node");
    RunRecord running = awaitStep(first, "await-commissioned");
    String runId = running.runId();

    // A second process sees the live step through the store.
    OpsflowProcess status = opsflow(List.of("status", runId, "--output", "json"));
    assertThat(status.exit()).as(status.err()).isZero();
    RunStatus seen = Json.mapper().readValue(status.out(), RunStatus.class);
    assertThat(seen.state()).isEqualTo(RunState.RUNNING);
    assertThat(seen.currentStep()).isEqualTo("await-commissioned");
    assertThat(seen.stepsCompleted()).isEqualTo(2);

    first.process.destroyForcibly(); // SIGKILL: no handler, no cleanup
    first.exit();
    assertThat(first.out()).as("nothing printed by a killed run").isEmpty();

    MAAS_CLOCK.advance(Duration.ofHours(2)); // the rack finished commissioning meanwhile
    OpsflowProcess resumed =
        opsflow(
            List.of(
                "resume",
                runId,
                "--target",
                "real",
                "bmcPassword=@env:BMC_PW",
                "--lease",
                "1s",
                "--output",
                "json"));
    assertThat(resumed.exit()).as(resumed.err()).isZero();
    WorkflowResult result = WorkflowResult.fromJson(resumed.out());
    assertThat(result.runId()).isEqualTo(runId);
    assertThat(result.status()).isEqualTo(RunState.COMPLETED);

    // The journal: steps that completed before the kill never started again after it.
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
    assertThat(doneBeforeResume).contains("check-inputs", "commission");
    long commissions =
        maas.requests().stream()
            .filter(r -> r.method().equals("POST") && r.query().contains("op=commission"))
            .filter(r -> r.path().contains(running.inputs().get("systemId").toString()))
            .count();
    assertThat(commissions).as("MAAS asked to commission once").isEqualTo(1);
  }

  @Test
  void sigtermCancelsTheRunPrintsTheCancelledResultAndExitsTwelve() throws Exception {
    OpsflowProcess child = provision("term-node");
    RunRecord running = awaitStep(child, "await-commissioned");

    child.process.destroy(); // SIGTERM

    assertThat(child.exit()).as(child.err()).isEqualTo(12);
    WorkflowResult result = WorkflowResult.fromJson(child.out());
    assertThat(result.runId()).isEqualTo(running.runId());
    assertThat(result.status()).isEqualTo(RunState.CANCELLED);
    assertThat(result.error().suggestions())
        .contains("continue it later: opsflow resume " + running.runId());
  }

  @Test
  void cancelFromASecondProcessEndsTheRunCancelledInTheFirst() throws Exception {
    OpsflowProcess child = provision("cancel-node");
    RunRecord running = awaitStep(child, "await-commissioned");

    OpsflowProcess cancel = opsflow(List.of("cancel", running.runId(), "--output", "json"));

    assertThat(cancel.exit()).as(cancel.err()).isEqualTo(12);
    assertThat(WorkflowResult.fromJson(cancel.out()).status()).isEqualTo(RunState.CANCELLED);
    assertThat(child.exit()).as(child.err()).isEqualTo(12);
    assertThat(WorkflowResult.fromJson(child.out()).status()).isEqualTo(RunState.CANCELLED);
  }

  @Test
  void aSecondRunWithTheSameKeyInAnotherProcessReturnsTheFirstRunsResult() throws Exception {
    var args = new ArrayList<>(List.of("run", "commission-server", "--target", "real"));
    args.addAll(machine("key-node"));
    args.addAll(List.of("--dry-run", "--key", "rack-12-node-7", "--output", "json"));

    OpsflowProcess first = opsflow(args);
    assertThat(first.exit()).as(first.err()).isZero();
    OpsflowProcess second = opsflow(args);
    assertThat(second.exit()).as(second.err()).isZero();

    WorkflowResult a = WorkflowResult.fromJson(first.out());
    WorkflowResult b = WorkflowResult.fromJson(second.out());
    assertThat(b.runId()).isEqualTo(a.runId());
    assertThat(b).isEqualTo(a);
    assertThat(FileExecutionStore.open(store()).query(RunQuery.all())).hasSize(1);
  }

  @Test
  void theDefaultCommandRunsOnTheUsersStateDirectoryAndHistoryShowsIt() throws Exception {
    OpsflowProcess init =
        OpsflowProcess.start(home, Map.of(), List.of("run", "init-cluster", "--dry-run", "--json"));
    assertThat(init.exit()).as(init.err()).isZero();
    WorkflowResult result = WorkflowResult.fromJson(init.out());

    OpsflowProcess history = OpsflowProcess.start(home, Map.of(), List.of("history", "--json"));
    assertThat(history.exit()).as(history.err()).isZero();
    assertThat(Json.mapper().readTree(history.out()).get(0).get("runId").asString())
        .isEqualTo(result.runId());
    assertThat(home.resolve("state/opsflow")).isDirectory();

    // Errors too are JSON alone on stdout.
    OpsflowProcess missing =
        OpsflowProcess.start(home, Map.of(), List.of("status", "nope", "--output", "json"));
    assertThat(missing.exit()).isEqualTo(5);
    var envelope = Json.mapper().readTree(missing.out());
    assertThat(envelope.get("code").asInt()).isEqualTo(5);
    assertThat(envelope.get("type").asString()).isEqualTo("not_found");
  }
}
