package dev.opsflow.hardware.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.WorkflowException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.shell.ProcessShellCommandFactory;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SshClient against MINA's embedded SshServer on loopback: fast, no external binary. */
class SshClientEmbeddedServerTest {
  private static final String USER = "deploy";
  private static final String PASSWORD = "pa55-word!";
  private static SshServer server;
  private static KeyPair hostKey;
  private static KeyPair clientKey;
  private static Path root;
  private static Path keyFile;

  @BeforeAll
  static void startServer(@TempDir Path dir) throws Exception {
    hostKey = ecKeyPair();
    clientKey = ecKeyPair();
    root = Files.createDirectories(dir.resolve("root"));
    keyFile = dir.resolve("id_ecdsa");
    try (OutputStream out = Files.newOutputStream(keyFile)) {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(clientKey, "test", null, out);
    }
    server = SshServer.setUpDefaultServer();
    server.setHost("127.0.0.1");
    server.setPort(0);
    server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
    server.setPasswordAuthenticator((u, p, s) -> USER.equals(u) && PASSWORD.equals(p));
    server.setPublickeyAuthenticator(
        (u, key, s) -> USER.equals(u) && KeyUtils.compareKeys(key, clientKey.getPublic()));
    server.setCommandFactory(ProcessShellCommandFactory.INSTANCE);
    server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
    server.setFileSystemFactory(new VirtualFileSystemFactory(root));
    server.start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.stop(true);
  }

  private static KeyPair ecKeyPair() throws Exception {
    var generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static String pinnedHostKey() {
    return PublicKeyEntry.toString(hostKey.getPublic());
  }

  private static SshSettings settings(SshAuth auth) {
    return SshSettings.of("127.0.0.1", USER, auth)
        .withPort(server.getPort())
        .withHostKeys(HostKeyPolicy.pinned(pinnedHostKey()))
        .withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(30));
  }

  @Test
  void execReturnsExitCodeStdoutAndStderr() {
    try (SshClient ssh = SshClient.connect(settings(SshAuth.password(Secret.of(PASSWORD))))) {
      ExecResult result = ssh.exec("echo hello; echo oops >&2; exit 7", Duration.ofSeconds(10));

      assertThat(result.exitCode()).isEqualTo(7);
      assertThat(result.stdout()).isEqualTo("hello\n");
      assertThat(result.stderr()).isEqualTo("oops\n");
    }
  }

  @Test
  void execCheckedFailsWithTheExitCodeAndStderr() {
    try (SshClient ssh = SshClient.connect(settings(SshAuth.key(keyFile)))) {
      assertThatThrownBy(() -> ssh.execChecked("echo broken >&2; exit 2", Duration.ofSeconds(10)))
          .isInstanceOfSatisfying(
              WorkflowException.class,
              e -> assertThat(e.kind()).isEqualTo(ErrorKind.REMOTE_FAILURE))
          .hasMessageContaining("exited with 2")
          .hasMessageContaining("broken")
          .hasMessageContaining("deploy@127.0.0.1:" + server.getPort());
    }
  }

  @Test
  void aCommandPastItsTimeoutIsATimeoutError() {
    try (SshClient ssh = SshClient.connect(settings(SshAuth.key(keyFile)))) {
      assertThatThrownBy(() -> ssh.exec("sleep 20", Duration.ofMillis(300)))
          .isInstanceOfSatisfying(
              WorkflowException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT))
          .hasMessageContaining("did not finish within 300 ms");
      assertThat(ssh.exec("echo still usable", Duration.ofSeconds(10)).stdout())
          .isEqualTo("still usable\n");
    }
  }

  @Test
  void uploadsAndDownloadsFilesOverSftp(@TempDir Path local) throws Exception {
    Path source = local.resolve("cloud-init.yaml");
    Files.writeString(source, "#cloud-config\nhostname: node1\n");
    try (SshClient ssh = SshClient.connect(settings(SshAuth.key(keyFile)))) {
      ssh.upload(source, "/cloud-init.yaml");
      ssh.upload("v2".getBytes(StandardCharsets.UTF_8), "/version");
      ssh.download("/cloud-init.yaml", local.resolve("back.yaml"));

      assertThat(Files.readString(root.resolve("cloud-init.yaml"))).contains("hostname: node1");
      assertThat(new String(ssh.read("/version"), StandardCharsets.UTF_8)).isEqualTo("v2");
      assertThat(local.resolve("back.yaml")).hasSameTextualContentAs(source);
    }
  }

  @Test
  void aTransferThatHangsIsAbandonedAtItsTimeout() throws Exception {
    // Opening a FIFO with no writer blocks the server's SFTP handler: the server stops answering.
    Path fifo = root.resolve("stuck.fifo");
    new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
    var settings = settings(SshAuth.key(keyFile)).withTransferTimeout(Duration.ofMillis(500));

    try (SshClient ssh = SshClient.connect(settings)) {
      long started = System.nanoTime();
      assertThatThrownBy(() -> ssh.read("/stuck.fifo"))
          .isInstanceOfSatisfying(
              WorkflowException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT))
          .hasMessageContaining("download of /stuck.fifo")
          .hasMessageContaining("500 ms");
      // Abandoned at its timeout: without it the read would hang until the finally below.
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    } finally {
      // Unblock the server's handler so the server can stop; O_RDWR on a FIFO never blocks.
      try (var writer = new java.io.RandomAccessFile(fifo.toFile(), "rw")) {
        writer.write(0);
      }
      Files.deleteIfExists(fifo);
    }
  }

  @Test
  void aMissingRemoteFileIsARemoteFailureNamingThePath() {
    try (SshClient ssh = SshClient.connect(settings(SshAuth.key(keyFile)))) {
      assertThatThrownBy(() -> ssh.read("/no/such/file"))
          .isInstanceOfSatisfying(
              WorkflowException.class,
              e -> assertThat(e.kind()).isEqualTo(ErrorKind.REMOTE_FAILURE))
          .hasMessageContaining("/no/such/file");
    }
  }

  @Test
  void anEncryptedKeyWorksWithItsPassphraseAndAWrongOneIsAConfigurationError(@TempDir Path dir)
      throws Exception {
    Path encrypted = dir.resolve("id_ecdsa_enc");
    var encryption =
        new org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext();
    encryption.setPassword("key-pass-phrase");
    encryption.setCipherName("AES");
    encryption.setCipherMode("CTR");
    encryption.setCipherType("256");
    try (OutputStream out = Files.newOutputStream(encrypted)) {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(clientKey, "enc", encryption, out);
    }

    try (SshClient ssh =
        SshClient.connect(settings(SshAuth.key(encrypted, Secret.of("key-pass-phrase"))))) {
      assertThat(ssh.exec("echo enc", Duration.ofSeconds(10)).stdout()).isEqualTo("enc\n");
    }
    assertThatThrownBy(
            () -> SshClient.connect(settings(SshAuth.key(encrypted, Secret.of("not-the-phrase")))))
        .isInstanceOfSatisfying(
            WorkflowException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIGURATION))
        .hasMessageContaining(encrypted.toString())
        .hasMessageNotContaining("not-the-phrase");
  }

  @Test
  void aWrongPasswordIsAnAuthErrorThatDoesNotShowThePassword() {
    assertThatThrownBy(() -> SshClient.connect(settings(SshAuth.password(Secret.of("wrong-pw")))))
        .isInstanceOfSatisfying(
            WorkflowException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.AUTH);
              assertThat(e.retryable()).isFalse();
            })
        .hasMessageContaining("deploy@127.0.0.1")
        .hasMessageContaining("refused the password")
        .hasMessageNotContaining("wrong-pw");
  }

  @Test
  void anUnknownHostKeyIsRejectedByDefaultWithItsFingerprint(@TempDir Path dir) throws Exception {
    Path knownHosts = Files.writeString(dir.resolve("known_hosts"), "");
    var settings =
        settings(SshAuth.key(keyFile)).withHostKeys(HostKeyPolicy.knownHosts(knownHosts));

    assertThatThrownBy(() -> SshClient.connect(settings))
        .isInstanceOfSatisfying(
            WorkflowException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.AUTH))
        .hasMessageContaining("is not trusted")
        .hasMessageContaining(KeyUtils.getFingerPrint(hostKey.getPublic()));
  }

  @Test
  void aHostListedInKnownHostsIsTrusted(@TempDir Path dir) throws Exception {
    Path knownHosts =
        Files.writeString(
            dir.resolve("known_hosts"),
            "[127.0.0.1]:" + server.getPort() + " " + pinnedHostKey() + "\n");
    var settings =
        settings(SshAuth.key(keyFile)).withHostKeys(HostKeyPolicy.knownHosts(knownHosts));

    try (SshClient ssh = SshClient.connect(settings)) {
      assertThat(ssh.exec("echo ok", Duration.ofSeconds(10)).stdout()).isEqualTo("ok\n");
    }
  }

  @Test
  void aPinnedKeyThatDoesNotMatchIsRejected() throws Exception {
    var other = PublicKeyEntry.toString(ecKeyPair().getPublic());
    var settings = settings(SshAuth.key(keyFile)).withHostKeys(HostKeyPolicy.pinned(other));

    assertThatThrownBy(() -> SshClient.connect(settings))
        .isInstanceOfSatisfying(
            WorkflowException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.AUTH))
        .hasMessageContaining("the pinned keys");
  }

  @Test
  void acceptingAnyHostKeyIsAnExplicitOptIn() {
    var settings = settings(SshAuth.key(keyFile)).withHostKeys(HostKeyPolicy.acceptAnyInsecure());

    try (SshClient ssh = SshClient.connect(settings)) {
      assertThat(ssh.exec("true", Duration.ofSeconds(10)).ok()).isTrue();
    }
  }

  @Test
  void aClosedPortIsARetryableConnectionErrorNamingTheHost() throws Exception {
    int port;
    try (var socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    var settings = settings(SshAuth.key(keyFile)).withPort(port);

    assertThatThrownBy(() -> SshClient.connect(settings))
        .isInstanceOfSatisfying(
            WorkflowException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.CONNECTION);
              assertThat(e.retryable()).isTrue();
            })
        .hasMessageContaining("127.0.0.1:" + port);
  }

  @Test
  void settingsRejectBadValuesNamingTheField() {
    assertThatThrownBy(() -> SshSettings.of("h", "u", SshAuth.key(keyFile)).withPort(70000))
        .hasMessageContaining("port must be 1..65535, was 70000");
    assertThatThrownBy(() -> HostKeyPolicy.pinned("not a key"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(SshAuth.password(Secret.of(PASSWORD)).toString()).doesNotContain(PASSWORD);
  }
}
