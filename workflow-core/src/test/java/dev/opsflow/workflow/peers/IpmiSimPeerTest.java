package dev.opsflow.workflow.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IpmiSimPeerTest {

  @Test
  void answersChassisCommandsOverLanplusAndStopsOnClose() {
    long pid;
    Path dir;
    try (IpmiSimPeer ipmi = IpmiSimPeer.start()) {
      pid = ipmi.pid();
      dir = ipmi.dir();
      assertThat(Pids.isRunning(pid)).isTrue();

      PeerCommand.Result status = ipmi.ipmitool("chassis", "power", "status");
      assertThat(status.stdout()).as(status.describe()).contains("Chassis Power is");

      ipmi.ipmitool("chassis", "power", "on").orThrow();
      assertThat(ipmi.ipmitool("chassis", "power", "status").orThrow().stdout())
          .contains("Chassis Power is on");

      PeerCommand.Result wrong =
          PeerCommand.run(
              List.of(
                  Peers.find("ipmitool").orElseThrow().toString(),
                  "-I",
                  "lanplus",
                  "-H",
                  ipmi.host(),
                  "-p",
                  Integer.toString(ipmi.port()),
                  "-U",
                  ipmi.username(),
                  "-E",
                  "-C",
                  "3",
                  "-N",
                  "1",
                  "-R",
                  "1",
                  "chassis",
                  "power",
                  "status"),
              Map.of("IPMI_PASSWORD", "not-" + ipmi.password()),
              null,
              null,
              Duration.ofSeconds(30));
      assertThat(wrong.ok()).as(wrong.describe()).isFalse();
    }
    assertThat(Pids.isRunning(pid)).isFalse();
    assertThat(Files.exists(dir)).isFalse();
  }
}
