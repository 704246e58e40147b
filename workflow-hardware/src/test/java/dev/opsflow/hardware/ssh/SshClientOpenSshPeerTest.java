package dev.opsflow.hardware.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.WorkflowException;
import dev.opsflow.workflow.peers.SshdPeer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SshClient against a real OpenSSH sshd on loopback (skipped when sshd is missing). */
class SshClientOpenSshPeerTest {
  private static SshdPeer sshd;

  /** Why the peer is not here (its tests then report themselves skipped), or null. */
  private static String unavailable;

  @BeforeAll
  static void start() {
    try {
      sshd = SshdPeer.start();
    } catch (org.opentest4j.TestAbortedException missing) {
      // Skip each test with the reason, rather than the whole class silently.
      unavailable = missing.getMessage();
    }
  }

  @org.junit.jupiter.api.BeforeEach
  void requirePeer() {
    org.junit.jupiter.api.Assumptions.assumeTrue(unavailable == null, unavailable);
  }

  @AfterAll
  static void stop() {
    if (sshd != null) {
      sshd.close();
    }
  }

  private static SshSettings settings(SshAuth auth) {
    return SshSettings.of(sshd.host(), sshd.username(), auth)
        .withPort(sshd.port())
        .withHostKeys(HostKeyPolicy.knownHosts(sshd.knownHostsFile()))
        .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(10));
  }

  @Test
  void ed25519KeyAuthAndKnownHostsVerificationWork() {
    try (SshClient ssh = SshClient.connect(settings(SshAuth.key(sshd.clientKey())))) {
      assertThat(ssh.execChecked("id -un", Duration.ofSeconds(10)).strip())
          .isEqualTo(sshd.username());
    }
  }

  @Test
  void rsaKeyAuthUsesSha2Signatures() {
    try (SshClient ssh = SshClient.connect(settings(SshAuth.key(sshd.rsaClientKey())))) {
      assertThat(ssh.exec("exit 4", Duration.ofSeconds(10)).exitCode()).isEqualTo(4);
    }
  }

  @Test
  void pinnedEd25519HostKeyIsAcceptedEvenThoughTheServerAlsoHasEcdsa() {
    var settings =
        settings(SshAuth.key(sshd.clientKey()))
            .withHostKeys(HostKeyPolicy.pinned(sshd.hostPublicKey()));

    try (SshClient ssh = SshClient.connect(settings)) {
      assertThat(ssh.exec("echo pinned", Duration.ofSeconds(10)).stdout()).isEqualTo("pinned\n");
    }
  }

  @Test
  void passwordAuthWorksAndAWrongPasswordIsAnAuthError() {
    assumeTrue(sshd.password().isPresent(), "sshd peer offers password auth only as root");
    try (SshClient ssh =
        SshClient.connect(settings(SshAuth.password(Secret.of(sshd.password().get()))))) {
      assertThat(ssh.exec("echo pw", Duration.ofSeconds(10)).stdout()).isEqualTo("pw\n");
    }
    assertThatThrownBy(() -> SshClient.connect(settings(SshAuth.password(Secret.of("nope-pw")))))
        .isInstanceOfSatisfying(
            WorkflowException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.AUTH))
        .hasMessageContaining(sshd.host() + ":" + sshd.port())
        .hasMessageNotContaining("nope-pw");
  }

  @Test
  void sftpRoundTripsAFile(@TempDir Path local) throws Exception {
    String remote = "/tmp/opsflow-sftp-" + ProcessHandle.current().pid() + ".txt";
    try (SshClient ssh = SshClient.connect(settings(SshAuth.key(sshd.clientKey())))) {
      ssh.upload("provisioned\n".getBytes(StandardCharsets.UTF_8), remote);
      ssh.download(remote, local.resolve("copy.txt"));
      assertThat(ssh.execChecked("cat " + remote, Duration.ofSeconds(10)))
          .isEqualTo("provisioned\n");
      ssh.exec("rm -f " + remote, Duration.ofSeconds(10));
    }
    assertThat(Files.readString(local.resolve("copy.txt"))).isEqualTo("provisioned\n");
  }

  @Test
  void aHostMissingFromKnownHostsIsRejected(@TempDir Path dir) throws Exception {
    var settings =
        settings(SshAuth.key(sshd.clientKey()))
            .withHostKeys(HostKeyPolicy.knownHosts(Files.writeString(dir.resolve("kh"), "")));

    assertThatThrownBy(() -> SshClient.connect(settings))
        .isInstanceOfSatisfying(
            WorkflowException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.AUTH))
        .hasMessageContaining("not trusted");
  }
}
