package dev.opsflow.hardware.redfish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.hardware.redfish.testing.Mockup;
import dev.opsflow.hardware.redfish.testing.RedfishSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A service that lists allowed reset types in an ActionInfo resource, as OpenBMC does. */
class RedfishActionInfoTest {

  @Test
  void resetTypesComeFromTheActionInfoWhenTheActionDoesNotListThem(@TempDir Path dir)
      throws Exception {
    write(
        dir,
        "",
        "{\"@odata.id\":\"/redfish/v1\",\"Systems\":{\"@odata.id\":"
            + "\"/redfish/v1/Systems\"},\"SessionService\":{\"@odata.id\":"
            + "\"/redfish/v1/SessionService\"}}");
    write(
        dir,
        "SessionService",
        "{\"@odata.id\":\"/redfish/v1/SessionService\","
            + "\"Sessions\":{\"@odata.id\":\"/redfish/v1/SessionService/Sessions\"}}");
    write(
        dir,
        "SessionService/Sessions",
        "{\"@odata.id\":\"/redfish/v1/SessionService/Sessions\"," + "\"Members\":[]}");
    write(
        dir,
        "Systems",
        "{\"@odata.id\":\"/redfish/v1/Systems\","
            + "\"Members\":[{\"@odata.id\":\"/redfish/v1/Systems/system\"}]}");
    write(
        dir,
        "Systems/system",
        "{\"@odata.id\":\"/redfish/v1/Systems/system\","
            + "\"@odata.type\":\"#ComputerSystem.v1_16_0.ComputerSystem\",\"Id\":\"system\","
            + "\"PowerState\":\"Off\",\"Actions\":{\"#ComputerSystem.Reset\":{\"target\":"
            + "\"/redfish/v1/Systems/system/Actions/ComputerSystem.Reset\",\"@Redfish.ActionInfo\":"
            + "\"/redfish/v1/Systems/system/ResetActionInfo\"}}}");
    write(
        dir,
        "Systems/system/ResetActionInfo",
        "{\"@odata.id\":"
            + "\"/redfish/v1/Systems/system/ResetActionInfo\",\"Parameters\":[{\"Name\":\"ResetType\","
            + "\"Required\":true,\"DataType\":\"String\",\"AllowableValues\":[\"On\",\"ForceOff\"]}]}");

    try (var bmc = RedfishSimulator.start(Mockup.fromDirectory(dir), Clock.systemUTC());
        var client = RedfishClient.connect(bmc.settings())) {
      String system = client.systems().get(0);

      assertThat(client.system(system).resetTypes()).containsExactly("On", "ForceOff");
      client.reset(system, "On");
      assertThat(client.powerState(system)).isEqualTo("On");
      assertThatThrownBy(() -> client.reset(system, "ForceRestart"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("[On, ForceOff]");
    }
  }

  private static void write(Path dir, String rel, String json) throws Exception {
    Path d = rel.isEmpty() ? dir : dir.resolve(rel);
    Files.createDirectories(d);
    Files.writeString(d.resolve("index.json"), json);
  }
}
