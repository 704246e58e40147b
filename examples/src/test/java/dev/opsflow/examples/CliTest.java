package dev.opsflow.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.hardware.maas.testing.MaasSimulator;
import dev.opsflow.hardware.redfish.testing.Mockup;
import dev.opsflow.hardware.redfish.testing.RedfishSimulator;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.StepStatus;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.batch.BatchResult;
import dev.opsflow.workflow.batch.BatchState;
import dev.opsflow.workflow.batch.ItemState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI end to end on the embedded simulators, as a new user runs it. */
class CliTest {
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  Targets targets;

  /** The runs' store and the config's directory: never the user's. */
  @TempDir Path state;

  private int run(Map<String, String> given, String... args) {
    var env = new java.util.HashMap<>(given);
    env.putIfAbsent("OPSFLOW_STORE", state.resolve("store").toString());
    env.putIfAbsent("XDG_CONFIG_HOME", state.resolve("config").toString());
    try (var cli =
        new Cli(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            env::get,
            // The hardware simulators without their demo's seconds of commissioning.
            world -> {
              targets = Targets.simulators(HardwareSimulators.Timings.INSTANT, world);
              return targets;
            })) {
      return cli.run(args);
    }
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theDefaultCommandInitialisesAClusterOnTheSimulator() {
    int status = run(Map.of());

    assertThat(status).isZero();
    assertThat(out())
        .contains("Running init-cluster")
        .contains("Workflow 'init-cluster' completed")
        .contains("database_created: true")
        .contains("database_name: default-db");
  }

  @Test
  void jsonOutputIsTheResultAloneWithProgressOnStderr() {
    int status = run(Map.of(), "run", "init-cluster", "skipDatabase=true", "--json");

    assertThat(status).isZero();
    WorkflowResult result = WorkflowResult.fromJson(out());
    assertThat(result.status()).isEqualTo(RunState.COMPLETED);
    assertThat(result.outputs()).containsEntry("database_created", false);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("Running init-cluster");
  }

  @Test
  void listShowsEveryBuiltInWorkflowWithItsParameters() {
    assertThat(run(Map.of(), "list")).isZero();

    assertThat(out())
        .contains(
            "init-cluster:",
            "create-database:",
            "delete-database:",
            "subscription-setup:",
            "provision-subscription:",
            "setup-aa-database:",
            "quick-database:",
            "server-provisioning:",
            "firmware-first-provisioning:",
            "commission-server:")
        .contains("password (required) (secret)")
        .contains("maasApiKey (required) (secret)");
  }

  @Test
  void aBadArgumentIsTheWorkflowsValidationExitStatusSixNamingTheInput() {
    int status = run(Map.of(), "run", "init-cluster", "databaseMemoryGb=lots");

    assertThat(status).isEqualTo(6);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("databaseMemoryGb")
        .contains("'lots'");
  }

  @Test
  void aSecretCanComeFromTheEnvironmentAndIsNeverPrinted() {
    int status =
        run(
            Map.of("DB_PW", "very-secret-db-password"),
            "run",
            "create-database",
            "databaseName=cache",
            "databasePassword=@env:DB_PW",
            "--json");

    assertThat(status).isZero();
    assertThat(out()).doesNotContain("very-secret-db-password");
    assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("very-secret-db-password");
  }

  @Test
  void aMissingEnvironmentVariableIsAClearError() {
    int status =
        run(Map.of(), "run", "create-database", "databaseName=x", "databasePassword=@env:NOPE");

    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("input 'databasePassword': environment variable NOPE is not set");
  }

  @Test
  void everyRedisEnterpriseWorkflowGetsTheSimulatorsConnection() {
    try (Targets t = Targets.simulators(HardwareSimulators.Timings.INSTANT)) {
      var enterprise =
          t.registry().names().stream()
              .filter(n -> t.registry().get(n).orElseThrow().inputs().containsKey("username"))
              .toList();
      assertThat(Targets.enterpriseWorkflows()).containsExactlyInAnyOrderElementsOf(enterprise);
    }
    int status = run(Map.of(), "run", "upgrade-databases", "targetRedisVersion=7.4", "--json");

    assertThat(status).as(err()).isZero();
    assertThat(WorkflowResult.fromJson(out()).success()).isTrue();
  }

  @Test
  void recoverClusterRecoversALostSimulatedCluster() {
    int status = run(Map.of(), "run", "recover-cluster", "--json");

    assertThat(status).as(err()).isZero();
    WorkflowResult result = WorkflowResult.fromJson(out());
    assertThat(result.status()).isEqualTo(RunState.COMPLETED);
    assertThat(result.steps())
        .anySatisfy(
            s -> {
              assertThat(s.name()).isEqualTo("recover-cluster");
              assertThat(s.status().name()).isEqualTo("COMPLETED");
            });
  }

  @Test
  void aRedisCloudWorkflowRunsOnItsSimulator() {
    int status =
        run(Map.of(), "run", "subscription-setup", "name=demo", "region=us-east-1", "--json");

    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(WorkflowResult.fromJson(out()).success()).isTrue();
  }

  @Test
  void aRedisCloudDatabaseWithTlsIsCheckedOverTlsTrustingTheSimulatorsCertificate() {
    int status =
        run(
            Map.of(),
            "run",
            "subscription-setup",
            "name=demo-tls",
            "region=us-east-1",
            "enableTls=true",
            "--json");

    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    WorkflowResult result = WorkflowResult.fromJson(out());
    assertThat(result.success()).isTrue();
    assertThat(result.steps())
        .filteredOn(s -> s.name().equals("verify-connectivity"))
        .singleElement()
        .satisfies(s -> assertThat(s.status()).isEqualTo(StepStatus.COMPLETED));
  }

  @Test
  void serverProvisioningRunsOnTheSimulatedMaasAndBmcWithOnlyADeviceType() {
    int status = run(Map.of(), "run", "server-provisioning", "deviceType=a1.c5.large", "--json");

    assertThat(status).as(err()).isZero();
    WorkflowResult result = WorkflowResult.fromJson(out());
    assertThat(result.status()).isEqualTo(RunState.COMPLETED);
    assertThat(result.steps())
        .extracting(s -> s.name() + "=" + s.status())
        .containsExactly(
            "check-inputs=COMPLETED",
            "preflight=SKIPPED",
            "analyze-firmware=SKIPPED",
            "verify-firmware-images=SKIPPED",
            "set-boot-device=SKIPPED",
            "commission=COMPLETED",
            "await-commissioned=COMPLETED",
            "read-machine-addresses=COMPLETED",
            "update-firmware=SKIPPED",
            "reset-after-firmware=SKIPPED",
            "read-bios=COMPLETED",
            "apply-bios=COMPLETED",
            "await-bios=COMPLETED",
            "configure-bmc-network=COMPLETED",
            "tag-machine=COMPLETED",
            "ssh-check=SKIPPED",
            "validate=SKIPPED",
            "report=COMPLETED");
    assertThat(result.outputs())
        .containsEntry("bmcAddress", Targets.SIMULATED_BMC_IP)
        .containsEntry("deviceType", "a1.c5.large");
    assertThat(err()).contains("Running server-provisioning").contains("await-commissioned");
  }

  @Test
  void aHardwareSecretInClearOnTheCommandLineIsRefused() {
    int status =
        run(Map.of(), "run", "commission-server", "bmcPassword=hunter2-in-clear", "--dry-run");

    assertThat(status).isEqualTo(2);
    assertThat(err())
        .contains("input 'bmcPassword' is a secret")
        .contains("bmcPassword=@env:VARIABLE, bmcPassword=@file:PATH or bmcPassword=@prompt")
        .doesNotContain("hunter2-in-clear");
    assertThat(out()).isEmpty();
  }

  @Test
  void anUnknownDeviceTypeIsExitStatusSixBeforeAnythingRuns() {
    int status = run(Map.of(), "run", "server-provisioning", "deviceType=z9.huge", "--json");

    assertThat(status).isEqualTo(6);
    var envelope = dev.opsflow.workflow.Json.mapper().readTree(out());
    assertThat(envelope.get("code").asInt()).isEqualTo(6);
    assertThat(envelope.get("message").asString())
        .contains("deviceType")
        .contains("'z9.huge'")
        .contains("a1.c5.large");
  }

  @Test
  void batchCommissioningCommissionsEverySimulatedServerAndPrintsTheResultJson() {
    int status =
        run(
            Map.of(),
            "batch-commission",
            "servers=6",
            "maxParallel=3",
            "ipRange=192.168.1.100-130",
            "gateway=192.168.1.1",
            "--json");

    assertThat(status).as(err()).isZero();
    BatchResult result = BatchResult.fromJson(out());
    assertThat(result.state()).isEqualTo(BatchState.COMPLETED);
    assertThat(result.counts().succeeded()).isEqualTo(6);
    assertThat(result.items(ItemState.SUCCEEDED)).hasSize(6);
    assertThat(result.items())
        .extracting(i -> i.result().outputs().get("bmcAddress"))
        .containsExactly(
            "192.168.1.100",
            "192.168.1.101",
            "192.168.1.102",
            "192.168.1.103",
            "192.168.1.104",
            "192.168.1.105");
    assertThat(err())
        .contains(": commission-server on 6 server(s), at most 3 at a time")
        .contains("[6/6 done, 0 running, 0 failed]");
  }

  @Test
  void aBatchWithABadIpRangeIsExitStatusTwoBeforeAnythingRuns() {
    int status =
        run(
            Map.of(),
            "batch-commission",
            "servers=6",
            "ipRange=192.168.1.300-310",
            "gateway=192.168.1.1");

    assertThat(status).isEqualTo(2);
    assertThat(err()).contains("192.168.1.300-310");
    assertThat(out()).isEmpty();
  }

  @Test
  void aBatchWithARangeTooSmallOrAnUnknownDeviceTypeNamesTheProblemOnce() {
    int status =
        run(
            Map.of(),
            "batch-commission",
            "servers=6",
            "ipRange=192.168.1.100-102",
            "gateway=192.168.1.1",
            "deviceType=z9.huge");

    assertThat(status).isEqualTo(2);
    assertThat(err()).contains("'z9.huge'");
    assertThat(out()).isEmpty();

    out.reset();
    err.reset();
    status =
        run(
            Map.of(),
            "batch-commission",
            "servers=6",
            "ipRange=192.168.1.100-102",
            "gateway=192.168.1.1");

    assertThat(status).isEqualTo(2);
    assertThat(err()).contains("'192.168.1.100-102' has 3 addresses for 6 servers");
    assertThat(out()).isEmpty();
  }

  @Test
  void theSimulatedMaasKeyAndBmcPasswordAreNeverPrinted() {
    int status = run(Map.of(), "run", "server-provisioning");

    assertThat(status).as(err()).isZero();
    var hw = targets.hardware();
    String bmcPassword = hw.first().bmc().password().reveal();
    String maasSecret = hw.maasApiKey().split(":")[2];
    assertThat(out() + err())
        .contains("Workflow 'server-provisioning' completed")
        .doesNotContain(bmcPassword)
        .doesNotContain(maasSecret);
  }

  @Test
  void onARealTargetMaasComesFromTheEnvironmentAndTheBmcIsTrustedThroughItsCaFile(@TempDir Path dir)
      throws Exception {
    try (var maas =
            MaasSimulator.start(Clock.systemUTC())
                .withTimings(
                    Duration.ZERO, Duration.ZERO, Duration.ofSeconds(10), Duration.ofSeconds(1));
        var bmc = RedfishSimulator.start(Mockup.builtIn(), Clock.systemUTC())) {
      String id = maas.addMachine("rack12-node7");
      Path ca = Files.writeString(dir.resolve("bmc-ca.pem"), bmc.certificatePem());

      int status =
          run(
              Map.of(
                  "OPSFLOW_MAAS_URL", maas.baseUri(),
                  "OPSFLOW_MAAS_API_KEY", maas.apiKey().reveal(),
                  "BMC_PW", bmc.password().reveal()),
              "run",
              "commission-server",
              "--target",
              "real",
              "systemId=" + id,
              "deviceType=a1.c5.large",
              "bmcAddress=" + bmc.origin().replaceFirst("^https://", ""),
              "bmcUsername=" + bmc.username(),
              "bmcPassword=@env:BMC_PW",
              "bmcCaCertFile=" + ca,
              "targetBmcIp=192.168.1.100",
              "targetBmcGateway=192.168.1.1",
              "--json");

      assertThat(status).as(err()).isZero();
      assertThat(targets).as("no simulator started").isNull();
      WorkflowResult result = WorkflowResult.fromJson(out());
      assertThat(result.status()).isEqualTo(RunState.COMPLETED);
      assertThat(result.outputs()).containsEntry("bmcAddress", "192.168.1.100");
      assertThat(out() + err())
          .doesNotContain(bmc.password().reveal())
          .doesNotContain(maas.apiKey().reveal().split(":")[2]);
    }
  }
}
