package dev.opsflow.workflow.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshdPeerTest {

  @Test
  void greetsWithOpenSshBannerAndStopsOnClose() {
    long pid;
    Path dir;
    try (SshdPeer sshd = SshdPeer.start()) {
      pid = sshd.pid();
      dir = sshd.dir();
      assertThat(Pids.isRunning(pid)).isTrue();
      assertThat(sshd.banner()).startsWith("SSH-2.0-OpenSSH");
      assertThat(sshd.hostPublicKey()).startsWith("ssh-ed25519 AAAA");
      assertThat(sshd.knownHostsLine())
          .startsWith("[127.0.0.1]:" + sshd.port() + " ssh-ed25519 AAAA")
          .isEqualTo(
              "[127.0.0.1]:"
                  + sshd.port()
                  + " "
                  + String.join(" ", List.of(sshd.hostPublicKey().split(" ")).subList(0, 2)));
      assertThat(sshd.clientKey()).isRegularFile();
      assertThat(sshd.rsaClientKey()).isRegularFile();
      assertThat(sshd.password().isPresent()).isEqualTo(Peers.isRoot());
    }
    assertThat(Pids.isRunning(pid)).isFalse();
    assertThat(Files.exists(dir)).isFalse();
  }

  @Test
  void acceptsKeysPasswordAndSftpFromTheOpenSshClient(@TempDir Path tmp) throws Exception {
    Optional<Path> ssh = Peers.find("ssh");
    Optional<Path> sftp = Peers.find("sftp");
    try (SshdPeer sshd = SshdPeer.start()) {
      if (ssh.isEmpty() || sftp.isEmpty()) {
        Peers.missing("ssh/sftp (client)", "openssh-client");
      }
      PeerCommand.Result ed25519 =
          run(
              sshd,
              ssh.get(),
              List.of("-i", sshd.clientKey().toString(), "-o", "BatchMode=yes"),
              Map.of(),
              "echo",
              "opsflow-ok");
      assertThat(ed25519.stdout()).as(ed25519.describe()).isEqualTo("opsflow-ok\n");

      PeerCommand.Result rsa =
          run(
              sshd,
              ssh.get(),
              List.of(
                  "-i",
                  sshd.rsaClientKey().toString(),
                  "-o",
                  "BatchMode=yes",
                  "-o",
                  "PubkeyAcceptedAlgorithms=rsa-sha2-256"),
              Map.of(),
              "echo",
              "rsa-ok");
      assertThat(rsa.stdout()).as(rsa.describe()).isEqualTo("rsa-ok\n");

      if (sshd.password().isPresent()) {
        Path askpass = tmp.resolve("askpass.sh");
        Files.writeString(askpass, "#!/bin/sh\nprintf '%s\\n' \"$OPSFLOW_TEST_SSH_PASSWORD\"\n");
        Files.setPosixFilePermissions(askpass, PosixFilePermissions.fromString("rwx------"));
        PeerCommand.Result password =
            run(
                sshd,
                ssh.get(),
                List.of(
                    "-o",
                    "BatchMode=no",
                    "-o",
                    "PubkeyAuthentication=no",
                    "-o",
                    "PreferredAuthentications=password",
                    "-o",
                    "NumberOfPasswordPrompts=1"),
                Map.of(
                    "SSH_ASKPASS",
                    askpass.toString(),
                    "SSH_ASKPASS_REQUIRE",
                    "force",
                    "OPSFLOW_TEST_SSH_PASSWORD",
                    sshd.password().get()),
                "echo",
                "password-ok");
        assertThat(password.stdout()).as(password.describe()).isEqualTo("password-ok\n");
      }

      List<String> sftpCommand =
          new ArrayList<>(
              List.of(
                  sftp.get().toString(),
                  "-F",
                  "/dev/null",
                  "-i",
                  sshd.clientKey().toString(),
                  "-P",
                  Integer.toString(sshd.port()),
                  "-o",
                  "BatchMode=yes",
                  "-o",
                  "StrictHostKeyChecking=yes",
                  "-o",
                  "UserKnownHostsFile=" + sshd.knownHostsFile(),
                  "-b",
                  "-",
                  sshd.username() + "@" + sshd.host()));
      PeerCommand.Result listing =
          PeerCommand.run(sftpCommand, Map.of(), null, "pwd\n", Duration.ofSeconds(30));
      assertThat(listing.stdout()).as(listing.describe()).contains("Remote working directory");
    }
  }

  private static PeerCommand.Result run(
      SshdPeer sshd, Path ssh, List<String> options, Map<String, String> env, String... remote) {
    List<String> command =
        new ArrayList<>(
            List.of(
                ssh.toString(),
                "-F",
                "/dev/null",
                "-p",
                Integer.toString(sshd.port()),
                "-o",
                "StrictHostKeyChecking=yes",
                "-o",
                "UserKnownHostsFile=" + sshd.knownHostsFile(),
                "-o",
                "IdentitiesOnly=yes"));
    command.addAll(options);
    command.add(sshd.username() + "@" + sshd.host());
    command.addAll(List.of(remote));
    return PeerCommand.run(command, env, null, null, Duration.ofSeconds(30));
  }
}
