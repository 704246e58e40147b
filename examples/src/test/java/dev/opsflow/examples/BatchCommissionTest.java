package dev.opsflow.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.hardware.maas.testing.MaasSimulator;
import dev.opsflow.hardware.redfish.testing.Mockup;
import dev.opsflow.hardware.redfish.testing.RedfishSimulator;
import dev.opsflow.workflow.batch.BatchResult;
import dev.opsflow.workflow.batch.BatchState;
import dev.opsflow.workflow.batch.ItemState;
import dev.opsflow.workflow.spi.RunQuery;
import dev.opsflow.workflow.store.FileExecutionStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code opsflow batch-commission} on the store's durable engine, from a CSV server inventory and
 * the seed's {@code provisioning_config.yaml}: every file and input checked before any server is
 * touched; each server its own BMC credentials; a batch run again repeats nothing completed.
 */
class BatchCommissionTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private MaasSimulator maas;
  private final List<RedfishSimulator> bmcs = new ArrayList<>();
  private final Map<String, String> env = new HashMap<>();
  private Path ca;

  @BeforeEach
  void rack() throws Exception {
    maas =
        MaasSimulator.start(Clock.systemUTC())
            .withTimings(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(10), Duration.ZERO);
    env.put("OPSFLOW_STORE", dir.resolve("store").toString());
    env.put("XDG_CONFIG_HOME", dir.resolve("config").toString());
    env.put("OPSFLOW_MAAS_URL", maas.baseUri());
    env.put("OPSFLOW_MAAS_API_KEY", maas.apiKey().reveal());
  }

  @AfterEach
  void stopRack() {
    bmcs.forEach(RedfishSimulator::close);
    maas.close();
  }

  /** An inventory of {@code n} new machines, each BMC's password in its own variable. */
  private Path inventory(int n) throws Exception {
    var csv =
        new StringBuilder("# rack 12\nsystemId,deviceType,bmcAddress,bmcUsername,bmcPasswordRef\n");
    for (int i = 1; i <= n; i++) {
      var bmc = RedfishSimulator.start(Mockup.builtIn(), Clock.systemUTC());
      bmcs.add(bmc);
      String id = maas.addMachine("rack12-node" + i);
      env.put("BMC_PW_" + i, bmc.password().reveal());
      csv.append(id)
          .append(",a1.c5.large,")
          .append(bmc.origin().replaceFirst("^https://", ""))
          .append(',')
          .append(bmc.username())
          .append(",@env:BMC_PW_")
          .append(i)
          .append('\n');
      // Every simulated BMC in this JVM presents the same self-signed certificate.
      ca = Files.writeString(dir.resolve("bmc-ca.pem"), bmc.certificatePem());
    }
    return Files.writeString(dir.resolve("rack.csv"), csv);
  }

  private Path config(String yaml) throws Exception {
    return Files.writeString(dir.resolve("provisioning_config.yaml"), yaml);
  }

  private int run(String... args) {
    out.reset();
    err.reset();
    try (var cli =
        new Cli(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            env::get,
            world -> Targets.simulators(HardwareSimulators.Timings.INSTANT, world))) {
      return cli.run(args);
    }
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** Everything printed: with --json an error is the envelope on stdout. */
  private String printed() {
    return out() + err();
  }

  private long commissionRequests() {
    return maas.requests().stream()
        .filter(r -> r.method().equals("POST") && r.query().contains("op=commission"))
        .count();
  }

  private String[] batch(Path inventory, Path config, String... more) {
    var args =
        new ArrayList<>(
            List.of(
                "batch-commission",
                "--target",
                "real",
                "servers=" + inventory,
                "config=" + config,
                "ipRange=192.168.1.100-110",
                "gateway=192.168.1.1",
                "bmcCaCertFile=" + ca,
                "batchId=rack-12",
                "--json"));
    args.addAll(List.of(more));
    return args.toArray(new String[0]);
  }

  @Test
  void anInventoryAndAProvisioningConfigCommissionEveryServerOnTheDurableStore() throws Exception {
    Path rack = inventory(3);
    Path config =
        config(
            """
            batch_operations:
              max_parallel_workflows: 2
              queue_size: 10
              failure_handling:
                continue_on_error: true
                max_failed_percentage: 50
            """);

    assertThat(run(batch(rack, config))).as(err()).isZero();

    BatchResult result = BatchResult.fromJson(out());
    assertThat(result.state()).isEqualTo(BatchState.COMPLETED);
    assertThat(result.items(ItemState.SUCCEEDED)).hasSize(3);
    assertThat(result.items())
        .extracting(i -> i.result().outputs().get("bmcAddress"))
        .containsExactly("192.168.1.100", "192.168.1.101", "192.168.1.102");
    assertThat(err()).contains("at most 2 at a time");
    assertThat(out() + err())
        .doesNotContain(env.get("BMC_PW_1"))
        .doesNotContain(env.get("BMC_PW_2"));
    // The runs live in the store the other commands read.
    var store = FileExecutionStore.open(dir.resolve("store"));
    assertThat(store.query(RunQuery.all())).hasSize(3);
    long commissions = commissionRequests();
    assertThat(commissions).isEqualTo(3);

    // The same batch again: every server completed, so nothing is done twice.
    assertThat(run(batch(rack, config))).as(err()).isZero();
    assertThat(BatchResult.fromJson(out()).items(ItemState.SUCCEEDED)).hasSize(3);
    assertThat(commissionRequests()).isEqualTo(commissions);
    assertThat(store.query(RunQuery.all())).hasSize(3);
  }

  @Test
  void everyFileIsCheckedBeforeAnyServerIsTouched() throws Exception {
    Path rack = inventory(3);
    Path good = config("batch_operations:\n  queue_size: 10\n");

    Path clear =
        Files.writeString(
            dir.resolve("clear.csv"),
            "systemId,deviceType,bmcAddress,bmcUsername,bmcPasswordRef\n"
                + "abc123,a1.c5.large,10.0.0.5,root,hunter2-in-clear\n");
    assertThat(run(batch(clear, good))).isEqualTo(2);
    assertThat(printed())
        .contains("clear.csv:2")
        .contains("bmcPasswordRef")
        .doesNotContain("hunter2");

    Path badConfig = config("batch_operations:\n  max_parallel_workflows: lots\n");
    assertThat(run(batch(rack, badConfig))).isEqualTo(2);
    assertThat(printed()).contains("max_parallel_workflows");

    Path small = config("batch_operations:\n  queue_size: 2\n");
    assertThat(run(batch(rack, small))).isEqualTo(2);
    assertThat(printed()).contains("queue_size is 2: a batch of 3 servers does not fit");

    assertThat(run(batch(dir.resolve("missing.csv"), good))).isEqualTo(2);
    assertThat(printed()).contains("missing.csv");

    Path unknownType =
        Files.writeString(
            dir.resolve("types.csv"),
            "systemId,deviceType,bmcAddress,bmcUsername,bmcPasswordRef\n"
                + "abc123,z9.huge,10.0.0.5,root,@env:BMC_PW_1\n");
    assertThat(run(batch(unknownType, good))).isEqualTo(2);
    assertThat(printed()).contains("server abc123: device type 'z9.huge'");

    env.remove("BMC_PW_2");
    assertThat(run(batch(rack, good))).isEqualTo(2);
    assertThat(printed()).contains("rack.csv:4").contains("BMC_PW_2");

    assertThat(run("batch-commission", "servers=" + rack)).isEqualTo(2);
    assertThat(printed()).contains("give --target real");

    assertThat(maas.requests()).as("MAAS never asked").isEmpty();
    assertThat(Files.exists(dir.resolve("store"))).as("no run stored").isFalse();
  }
}
