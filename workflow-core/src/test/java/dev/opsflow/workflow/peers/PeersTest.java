package dev.opsflow.workflow.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentest4j.TestAbortedException;

class PeersTest {

  @Test
  void missingBinaryFailsWhenRequired() {
    assertThatThrownBy(() -> Peers.missing("redis-server", "redis-server", true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("redis-server is missing")
        .hasMessageContaining("apt-get install -y redis-server")
        .hasMessageContaining(Peers.REQUIRE_ENV + "=1");
  }

  @Test
  void missingBinarySkipsOtherwise() {
    assertThatThrownBy(() -> Peers.missing("ipmi_sim", "openipmi", false))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("ipmi_sim is missing")
        .hasMessageContaining("apt-get install -y openipmi");
  }

  static Stream<Arguments> peers() {
    return Stream.of(
        Arguments.of(
            "redis-server", "redis-server", (Runnable) () -> RedisServerPeer.start().close()),
        Arguments.of("initdb", "postgresql", (Runnable) () -> PostgresPeer.start().close()),
        Arguments.of("sshd", "openssh-server", (Runnable) () -> SshdPeer.start().close()),
        Arguments.of("ipmi_sim", "openipmi", (Runnable) () -> IpmiSimPeer.start().close()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("peers")
  void eachPeerSkipsOrFailsWhenItsBinaryIsMissing(
      String binary, String debianPackage, Runnable start, @TempDir Path empty) {
    withSearchPath(
        empty,
        () ->
            assertThatThrownBy(start::run)
                .isInstanceOf(
                    Peers.required() ? IllegalStateException.class : TestAbortedException.class)
                .hasMessageContaining(binary)
                .hasMessageContaining("apt-get install -y " + debianPackage));
  }

  private static void withSearchPath(Path dir, Runnable body) {
    String previous = System.getProperty(Peers.SEARCH_PATH_PROPERTY);
    System.setProperty(Peers.SEARCH_PATH_PROPERTY, dir.toString());
    try {
      body.run();
    } finally {
      if (previous == null) {
        System.clearProperty(Peers.SEARCH_PATH_PROPERTY);
      } else {
        System.setProperty(Peers.SEARCH_PATH_PROPERTY, previous);
      }
    }
  }

  @Test
  void findsOnlyExecutableFilesInTheSearchPath(@TempDir Path dir) throws Exception {
    Path tool = Files.writeString(dir.resolve("opsflow-tool"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(dir.resolve("opsflow-data"), "not a program\n");
    withSearchPath(
        dir,
        () -> {
          assertThat(Peers.find("opsflow-tool")).contains(tool.toAbsolutePath());
          assertThat(Peers.find("opsflow-data")).isEmpty();
          assertThat(Peers.find("opsflow-no-such-binary")).isEmpty();
        });
  }

  @Test
  void terminateStopsAProcessTree() throws Exception {
    Process shell = new ProcessBuilder("sh", "-c", "sleep 60 & sleep 60 & wait").start();
    Peers.await(
        "the inner sleep",
        Duration.ofSeconds(30),
        () -> shell.descendants().count() >= 2,
        () -> "");
    List<ProcessHandle> tree =
        Stream.concat(Stream.of(shell.toHandle()), shell.descendants()).toList();

    Pids.terminate(shell.pid(), Duration.ofSeconds(5));

    assertThat(tree).noneMatch(h -> Pids.isRunning(h.pid()));
  }

  @Test
  void freePortsAreUsableOnLoopback() {
    int tcp = FreePorts.loopback();
    int udp = FreePorts.loopbackUdp();
    assertThat(tcp).isBetween(1, 65535);
    assertThat(udp).isBetween(1, 65535);
  }

  @Test
  void commandsAreBoundedAndTakeSecretsFromStdinAndEnv() {
    PeerCommand.Result result =
        PeerCommand.run(
            List.of("sh", "-c", "cat; echo \"$SECRET\""),
            Map.of("SECRET", "from-env"),
            null,
            "from-stdin\n",
            Duration.ofSeconds(30));
    assertThat(result.ok()).isTrue();
    assertThat(result.stdout()).isEqualTo("from-stdin\nfrom-env\n");
    assertThatThrownBy(() -> PeerCommand.run(Duration.ofMillis(200), "sleep", "30"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("did not exit");
  }
}
