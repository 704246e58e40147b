package dev.opsflow.hardware.maas.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.hardware.maas.testing.MaasSimulator;
import dev.opsflow.workflow.peers.Peers;
import dev.opsflow.workflow.testing.ManualClock;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MAAS's documented flows driven by {@code curl} alone ({@code maas-curl.sh} in test resources): an
 * independent client with a hand-written OAuth header and hand-built forms. Time is the simulator's
 * {@link ManualClock}, advanced between steps.
 */
class MaasCurlConformanceTest {
  private final ManualClock clock = new ManualClock();
  private MaasSimulator maas;
  private Path script;
  @TempDir Path dir;

  @BeforeEach
  void start() throws Exception {
    Peers.require("curl", "curl");
    maas = MaasSimulator.start(clock);
    script = dir.resolve("maas-curl.sh");
    try (InputStream in = getClass().getResourceAsStream("/maas/maas-curl.sh")) {
      Files.write(script, in.readAllBytes());
    }
  }

  @AfterEach
  void stop() {
    maas.close();
  }

  private List<String> step(String... args) throws Exception {
    var command = new ArrayList<>(List.of("bash", script.toString()));
    command.addAll(List.of(args));
    var builder =
        new ProcessBuilder(command)
            .redirectOutput(dir.resolve("out").toFile())
            .redirectError(dir.resolve("err").toFile());
    builder.environment().put("MAAS_URL", maas.baseUri());
    builder.environment().put("MAAS_KEY", maas.apiKey().reveal());
    Process p = builder.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("maas-curl.sh " + args[0] + " did not finish");
    }
    String err = Files.readString(dir.resolve("err"), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("maas-curl.sh %s: %s", args[0], err).isZero();
    return Files.readAllLines(dir.resolve("out"), StandardCharsets.UTF_8);
  }

  @Test
  void discoversTheApiAnonymouslyThenWithTheKey() throws Exception {
    assertThat(step("discover"))
        .containsExactly(
            "3.4.2",
            "describe",
            "401",
            "admin",
            "zones",
            "resourcepools",
            "subnets",
            "fabrics",
            "spaces",
            "domains",
            "users",
            "devices",
            "tags");
  }

  @Test
  void listFiltersSelectMachinesByIdAndHostname() throws Exception {
    String first = maas.addMachine("node01");
    maas.addMachine("node02");
    maas.addReadyMachine("node03");

    assertThat(step("count", "")).containsExactly("3");
    assertThat(step("count", "hostname=node02")).containsExactly("1");
    assertThat(step("count", "id=" + first)).containsExactly("1");
    assertThat(step("count", "hostname=node01&hostname=node03")).containsExactly("2");
    assertThat(step("count", "status=ready")).containsExactly("1");
    assertThat(step("count", "hostname=nosuch")).containsExactly("0");
  }

  @Test
  void enlistsCommissionsDeploysAndReleasesAMachine() throws Exception {
    String id = step("create", "web01", "52:54:00:aa:bb:01").get(0);
    assertThat(step("get", id, "status_name")).containsExactly("New");
    assertThat(step("update", id, "front end")).containsExactly("front end");
    assertThat(step("parts", id)).containsExactly("eth0", "/dev/disk/by-dname/sda");

    assertThat(step("op", id, "commission")).containsExactly("Commissioning");
    clock.advance(Duration.ofMinutes(10));
    assertThat(step("get", id, "status_name")).containsExactly("Ready");

    assertThat(step("op", id, "deploy", "distro_series=noble")).containsExactly("Deploying");
    clock.advance(Duration.ofMinutes(30));
    assertThat(step("get", id, "status_name")).containsExactly("Deployed");
    assertThat(step("get", id, "distro_series")).containsExactly("noble");

    assertThat(step("op", id, "release")).containsExactly("Releasing");
    assertThat(step("get", id, "osystem")).containsExactly("");
    clock.advance(Duration.ofMinutes(5));
    assertThat(step("get", id, "status_name")).containsExactly("Ready");

    assertThat(step("delete", id)).containsExactly("204");
    assertThat(step("count", "id=" + id)).containsExactly("0");
  }

  @Test
  void partitionsFormatsMountsAndLinksASubnetOnAReadyMachine() throws Exception {
    String id = step("create", "db01", "52:54:00:aa:bb:02").get(0);
    step("op", id, "commission");
    clock.advance(Duration.ofMinutes(10));
    String disk = step("disk-id", id, "sdb").get(0);
    String partition = step("partition", id, disk, "20G").get(0);
    String path = disk + "/partition/" + partition;
    assertThat(step("storage", id, path, "format", "fstype=ext4"))
        .containsExactly("Unmounted ext4 formatted filesystem");
    assertThat(step("storage", id, path, "mount", "mount_point=/srv"))
        .containsExactly("ext4 formatted filesystem mounted at /srv");
    assertThat(step("link", id, "mode=static", "subnet=10.20.0.0/16", "ip_address=10.20.5.5"))
        .containsExactly("10.20.5.5");
    assertThat(step("op", id, "deploy")).containsExactly("Deploying");
  }

  @Test
  void powerParametersAndStateAreReadable() throws Exception {
    String id = maas.addMachine("node01");
    List<String> power = step("power", id);
    assertThat(power.get(0)).contains("\"power_address\"");
    assertThat(power.get(1)).isEqualTo("off");
  }
}
