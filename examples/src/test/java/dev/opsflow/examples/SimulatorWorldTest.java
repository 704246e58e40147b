package dev.opsflow.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.StepStatus;
import dev.opsflow.workflow.WorkflowResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded simulators' world beside the store, met again by the next command. */
class SimulatorWorldTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    out.reset();
    err.reset();
    Map<String, String> env =
        Map.of(
            "OPSFLOW_STORE", dir.resolve("store").toString(),
            "XDG_CONFIG_HOME", dir.resolve("config").toString());
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

  @Test
  void theNextCommandMeetsTheClusterTheFirstOneInitialised() {
    assertThat(run("run", "init-cluster", "skipDatabase=true", "--json")).isZero();
    WorkflowResult first = WorkflowResult.fromJson(out());
    assertThat(first.step("bootstrap-cluster").orElseThrow().status())
        .isEqualTo(StepStatus.COMPLETED);

    assertThat(run("run", "init-cluster", "skipDatabase=true", "--json")).isZero();
    WorkflowResult second = WorkflowResult.fromJson(out());
    assertThat(second.status()).isEqualTo(RunState.COMPLETED);
    assertThat(second.step("bootstrap-cluster").orElseThrow().status())
        .as("the cluster kept from the first command is not bootstrapped again")
        .isEqualTo(StepStatus.SKIPPED);
  }

  @Test
  void oneProcessOwnsTheWorldAtATime() {
    Path world = dir.resolve("store/simulators");
    try (var owner = SimulatorWorld.claim(world).orElseThrow()) {
      assertThat(SimulatorWorld.claim(world)).isEmpty();
      owner.port("maas", 41234);
    }
    try (var next = SimulatorWorld.claim(world).orElseThrow()) {
      assertThat(next.port("maas")).isEqualTo(41234);
      assertThat(next.enterprisePassword()).isEqualTo(next.enterprisePassword());
    }
  }

  @Test
  void aStateTheSimulatorsCannotReadIsAConfigurationErrorNamingTheDirectory() throws Exception {
    Path state = dir.resolve("store/simulators/redis-enterprise");
    Files.createDirectories(state);
    Files.writeString(state.resolve("redis-enterprise.json"), "{ not json");

    assertThat(run("run", "init-cluster", "--output", "json")).isEqualTo(3);
    assertThat(out())
        .contains("\"type\" : \"configuration\"")
        .contains(dir.resolve("store/simulators").toString());
    assertThat(Files.readString(state.resolve("redis-enterprise.json"))).isEqualTo("{ not json");
  }
}
