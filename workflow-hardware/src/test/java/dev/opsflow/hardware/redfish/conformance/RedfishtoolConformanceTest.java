package dev.opsflow.hardware.redfish.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.hardware.redfish.testing.RedfishSimulator;
import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.peers.Peers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * DMTF's own Redfish client, {@code redfishtool} (Debian package {@code redfishtool}), driving the
 * simulator unmodified, over HTTPS (it never verifies certificates) and plain HTTP, with basic and
 * session authentication. The password is a throwaway random one: redfishtool only takes it as an
 * argument.
 */
class RedfishtoolConformanceTest {
  private static final String SYSTEM = "/redfish/v1/Systems/SRV-A1B2C3";
  private RedfishSimulator bmc;
  private Path redfishtool;
  @TempDir Path dir;

  /** What redfishtool printed and how it exited. */
  record Run(int exit, String out, String err) {
    JsonNode json() {
      return Json.mapper().readTree(out);
    }
  }

  @BeforeEach
  void start() {
    redfishtool = Peers.require("redfishtool", "redfishtool");
    bmc =
        RedfishSimulator.builder()
            .account("admin", Secret.of("rt-" + UUID.randomUUID().toString().substring(0, 8)))
            .httpPort(0)
            .start();
  }

  @AfterEach
  void stop() {
    bmc.close();
  }

  private Run run(String... args) throws Exception {
    return runOn(bmc.origin().substring("https://".length()), "Always", "Basic", args);
  }

  private Run runOn(String host, String secure, String auth, String... args) throws Exception {
    var command = new ArrayList<String>();
    command.addAll(
        List.of(
            redfishtool.toString(),
            "-r",
            host,
            "-S",
            secure,
            "-A",
            auth,
            "-u",
            "admin",
            "-p",
            bmc.password().reveal(),
            "-T",
            "10"));
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command)
            .redirectOutput(dir.resolve("out").toFile())
            .redirectError(dir.resolve("err").toFile())
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("redfishtool did not finish: " + command.subList(0, 7));
    }
    return new Run(
        p.exitValue(),
        java.nio.file.Files.readString(dir.resolve("out"), StandardCharsets.UTF_8),
        java.nio.file.Files.readString(dir.resolve("err"), StandardCharsets.UTF_8));
  }

  @Test
  void readsTheServiceRootAndTheSystem() throws Exception {
    Run root = run("root");
    assertThat(root.exit()).as(root.err()).isZero();
    assertThat(root.json().path("RedfishVersion").asString()).isEqualTo("1.15.0");

    Run list = run("Systems", "list");
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.json().path("Members").get(0).path("Id").asString()).isEqualTo("SRV-A1B2C3");

    Run power = run("Systems", "-F", "-P", "PowerState", "get");
    assertThat(power.json().path("PowerState").asString()).isEqualTo("Off");
  }

  @Test
  void resetChangesPowerAndUsesUpAOnceBootOverride() throws Exception {
    Run boot = run("Systems", "-F", "setBootOverride", "Once", "Pxe");
    assertThat(boot.exit()).as(boot.err()).isZero();
    assertThat(bmc.resource(SYSTEM).path("Boot").path("BootSourceOverrideTarget").asString())
        .isEqualTo("Pxe");

    Run reset = run("Systems", "-F", "reset", "On");
    assertThat(reset.exit()).as(reset.err()).isZero();

    JsonNode system = bmc.resource(SYSTEM);
    assertThat(system.path("PowerState").asString()).isEqualTo("On");
    assertThat(system.path("Boot").path("BootSourceOverrideEnabled").asString())
        .isEqualTo("Disabled");
  }

  @Test
  void setsTheAssetTagThroughASession() throws Exception {
    Run tag =
        runOn(
            bmc.origin().substring(8),
            "Always",
            "Session",
            "Systems",
            "-F",
            "setAssetTag",
            "rack-7-u12");
    assertThat(tag.exit()).as(tag.err()).isZero();
    assertThat(bmc.resource(SYSTEM).path("AssetTag").asString()).isEqualTo("rack-7-u12");
  }

  @Test
  void patchesBiosSettingsThatApplyAndClearOnTheNextReset() throws Exception {
    Run patch =
        run(
            "raw",
            "PATCH",
            SYSTEM + "/Bios/Settings",
            "-d",
            "{\"Attributes\":{\"PowerProfile\":\"MaxPerformance\"}}");
    assertThat(patch.exit()).as(patch.err()).isZero();
    assertThat(run("Systems", "-F", "reset", "On").exit()).isZero();

    assertThat(bmc.resource(SYSTEM + "/Bios").path("Attributes").path("PowerProfile").asString())
        .isEqualTo("MaxPerformance");
    assertThat(bmc.resource(SYSTEM + "/Bios/Settings").path("Attributes").isEmpty()).isTrue();
  }

  @Test
  void aBiosValueOutsideTheRegistryIsRefused() throws Exception {
    Run patch =
        run(
            "raw",
            "PATCH",
            SYSTEM + "/Bios/Settings",
            "-d",
            "{\"Attributes\":{\"PowerProfile\":\"Turbo\"}}");
    assertThat(patch.exit()).isNotZero();
    assertThat(bmc.resource(SYSTEM + "/Bios/Settings").path("Attributes").isEmpty()).isTrue();
  }

  @Test
  void readsChassisManagersAndTheSessionService() throws Exception {
    assertThat(run("Chassis", "-F", "get").json().path("Id").asString()).isEqualTo("1U");
    Run nics = run("Managers", "-F", "EthernetInterfaces");
    assertThat(nics.exit()).as(nics.err()).isZero();
    assertThat(run("SessionService").json().path("Sessions").has("@odata.id")).isTrue();
  }

  @Test
  void queriesWithFilterSelectAndExpand() throws Exception {
    String firmware = "/redfish/v1/UpdateService/FirmwareInventory";
    Run filtered =
        run("raw", "GET", firmware + "?$filter=Id%20eq%20'BMC'&$expand=.&$select=Version");
    assertThat(filtered.exit()).as(filtered.err()).isZero();
    JsonNode members = filtered.json().path("Members");
    assertThat(members).hasSize(1);
    assertThat(members.get(0).path("Version").asString()).isEqualTo("2.10.0");
    assertThat(members.get(0).has("Name")).isFalse();

    Run selected = run("raw", "GET", SYSTEM + "?$select=PowerState,Boot/BootSourceOverrideEnabled");
    assertThat(selected.exit()).as(selected.err()).isZero();
    assertThat(selected.json().has("SerialNumber")).isFalse();
    assertThat(selected.json().path("Boot").path("BootSourceOverrideEnabled").asString())
        .isEqualTo("Disabled");

    Run unsupported = run("raw", "GET", firmware + "?$top=1");
    assertThat(unsupported.exit()).isNotZero();
  }

  @Test
  void worksOverPlainHttp() throws Exception {
    String host = bmc.plainOrigin().orElseThrow().substring("http://".length());
    Run list = runOn(host, "Never", "Basic", "Systems", "list");
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.json().path("Members")).hasSize(1);
  }

  @Test
  void leavesNoSessionBehind() throws Exception {
    Run get = runOn(bmc.origin().substring(8), "Always", "Session", "Systems", "-F", "get");
    assertThat(get.exit()).as(get.err()).isZero();
    assertThat(bmc.openSessions()).isZero();
  }
}
