package dev.opsflow.hardware.ssh;

import dev.opsflow.workflow.CancelledException;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.WorkflowException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.common.SftpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One authenticated SSH connection (Apache MINA SSHD) to one server: run commands, upload and
 * download files over SFTP. Every method is one plain blocking call a step can make.
 *
 * <pre>{@code
 * try (SshClient ssh = SshClient.connect(SshSettings.of("10.0.0.5", "ubuntu", SshAuth.key(key))
 *     .withHostKeys(HostKeyPolicy.pinned(hostKeyLine)))) {
 *   ExecResult r = ssh.exec("uname -r", Duration.ofSeconds(30));
 *   ssh.upload(Path.of("cloud-init.yaml"), "/tmp/cloud-init.yaml");
 * }
 * }</pre>
 *
 * <p>Host keys are verified by default against {@code known_hosts} or pinned keys; see {@link
 * HostKeyPolicy}. Failures are {@link WorkflowException}s naming {@code user@host:port}: CONNECTION
 * (refused, unreachable, connect timeout; retryable), AUTH (credentials refused, or a host key that
 * is not trusted, with its fingerprint), TIMEOUT (a command outlived its timeout; the channel is
 * closed; an SFTP transfer that outlives {@link SshSettings#transferTimeout()} likewise),
 * REMOTE_FAILURE (an SFTP error such as a missing file), PROTOCOL (anything else the SSH layer
 * reports). No message carries a password or passphrase.
 *
 * <p>Thread-safe for concurrent {@link #exec} calls (each uses its own channel). Close it when
 * done; closing stops its MINA client.
 */
public final class SshClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SshClient.class);

  private final SshSettings settings;
  private final org.apache.sshd.client.SshClient mina;
  private final ClientSession session;
  private final java.util.concurrent.ExecutorService transfers =
      java.util.concurrent.Executors.newCachedThreadPool(
          r -> {
            var thread = new Thread(r, "opsflow-sftp");
            thread.setDaemon(true);
            return thread;
          });

  private SshClient(
      SshSettings settings, org.apache.sshd.client.SshClient mina, ClientSession session) {
    this.settings = settings;
    this.mina = mina;
    this.session = session;
  }

  /**
   * Connects, verifies the host key and authenticates.
   *
   * @param settings the server, user, authentication, host key policy and timeouts
   * @return the client, connected; close it when done
   * @throws IllegalArgumentException if settings is null or a pinned key cannot be read
   * @throws WorkflowException of kind CONNECTION, AUTH or PROTOCOL naming the target
   */
  public static SshClient connect(SshSettings settings) {
    if (settings == null) {
      throw new IllegalArgumentException("settings must not be null");
    }
    String target = settings.target();
    var verifier = HostKeyVerifiers.forPolicy(settings.hostKeys(), target);
    List<KeyPair> keys = loadKeys(settings);
    var mina = org.apache.sshd.client.SshClient.setUpDefaultClient();
    mina.setServerKeyVerifier(verifier);
    preferHostKeyTypes(
        mina, HostKeyVerifiers.keyTypes(settings.hostKeys(), settings.host(), settings.port()));
    mina.start();
    ClientSession session = null;
    try {
      session =
          mina.connect(settings.username(), settings.host(), settings.port())
              .verify(settings.connectTimeout())
              .getSession();
      if (settings.auth() instanceof SshAuth.Password password) {
        session.addPasswordIdentity(password.password().reveal());
      }
      keys.forEach(session::addPublicKeyIdentity);
      session.auth().verify(settings.authTimeout());
      log.debug("connected to {} (host key {})", target, verifier.presented.get());
      return new SshClient(settings, mina, session);
    } catch (IOException | RuntimeException e) {
      closeQuietly(session);
      mina.stop();
      throw failure(settings, verifier, e);
    }
  }

  /** {@return the settings this client connected with} */
  public SshSettings settings() {
    return settings;
  }

  /**
   * Runs a command and waits for it to end.
   *
   * @param command the shell command to run
   * @param timeout the time limit of the command
   * @return its exit code and output, whatever the exit code
   * @throws WorkflowException of kind TIMEOUT when it outlives {@code timeout} (the channel is
   *     closed), CONNECTION when the connection is lost
   */
  public ExecResult exec(String command, Duration timeout) {
    if (command == null || command.isBlank()) {
      throw new IllegalArgumentException("command must be given");
    }
    if (timeout == null || timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must be > 0, was " + timeout);
    }
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    try (ChannelExec channel = session.createExecChannel(command)) {
      channel.setOut(out);
      channel.setErr(err);
      channel.open().verify(timeout);
      Set<ClientChannelEvent> events =
          channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout);
      Integer status = channel.getExitStatus();
      if (status == null && events.contains(ClientChannelEvent.TIMEOUT)) {
        throw new WorkflowException(
            ErrorKind.TIMEOUT,
            "'"
                + abbreviate(command)
                + "' on "
                + settings.target()
                + " did not finish within "
                + timeout.toMillis()
                + " ms; its channel was closed",
            null,
            true,
            Map.of("target", settings.target()),
            List.of());
      }
      if (status == null) {
        throw new WorkflowException(
            ErrorKind.PROTOCOL,
            "'"
                + abbreviate(command)
                + "' on "
                + settings.target()
                + " ended without an exit status (signal "
                + channel.getExitSignal()
                + ")");
      }
      return new ExecResult(
          command,
          status,
          out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw ioFailure("exec '" + abbreviate(command) + "'", e);
    }
  }

  /**
   * Runs a command and fails unless it exits with 0.
   *
   * @param command the shell command to run
   * @param timeout the time limit of the command
   * @return its standard output
   * @throws WorkflowException of kind REMOTE_FAILURE with the exit code and stderr otherwise
   */
  public String execChecked(String command, Duration timeout) {
    ExecResult result = exec(command, timeout);
    if (!result.ok()) {
      String err = result.stderr().strip();
      throw new WorkflowException(
          ErrorKind.REMOTE_FAILURE,
          "'"
              + abbreviate(command)
              + "' on "
              + settings.target()
              + " exited with "
              + result.exitCode()
              + (err.isEmpty() ? "" : ": " + abbreviate(err)),
          null,
          false,
          Map.of("target", settings.target(), "exitCode", result.exitCode()),
          List.of());
    }
    return result.stdout();
  }

  /**
   * Uploads a local file to a remote path over SFTP, replacing it.
   *
   * @param local the file to send
   * @param remotePath the path on the server
   */
  public void upload(Path local, String remotePath) {
    try (InputStream in = Files.newInputStream(local)) {
      upload(in, remotePath);
    } catch (IOException e) {
      throw new WorkflowException(
          ErrorKind.CONFIGURATION,
          "cannot read " + local + " to upload to " + settings.target() + ": " + e,
          e);
    }
  }

  /**
   * Writes bytes to a remote path over SFTP, replacing it.
   *
   * @param content the bytes to write
   * @param remotePath the path on the server
   */
  public void upload(byte[] content, String remotePath) {
    upload(new java.io.ByteArrayInputStream(content), remotePath);
  }

  private void upload(InputStream in, String remotePath) {
    sftp(
        "upload to " + remotePath,
        sftp -> {
          try (OutputStream out = sftp.write(remotePath)) {
            in.transferTo(out);
          }
          return null;
        });
  }

  /**
   * Downloads a remote file over SFTP to a local path, replacing it.
   *
   * @param remotePath the path on the server
   * @param local where to write it
   */
  public void download(String remotePath, Path local) {
    byte[] content = read(remotePath);
    try {
      Files.write(local, content);
    } catch (IOException e) {
      throw new WorkflowException(
          ErrorKind.CONFIGURATION,
          "cannot write " + local + " downloaded from " + settings.target() + ": " + e,
          e);
    }
  }

  /**
   * Reads a remote file over SFTP.
   *
   * @param remotePath the path on the server
   * @return its bytes
   */
  public byte[] read(String remotePath) {
    return sftp(
        "download of " + remotePath,
        sftp -> {
          try (InputStream in = sftp.read(remotePath)) {
            return in.readAllBytes();
          }
        });
  }

  /** An SFTP operation. */
  @FunctionalInterface
  private interface SftpCall<T> {
    T run(SftpClient sftp) throws IOException;
  }

  /**
   * Runs an SFTP operation on its own SFTP channel within the transfer timeout. MINA's SFTP calls
   * have no timeout of their own, so a server that stops answering would block forever: past the
   * timeout the channel is closed, which ends the blocked call.
   */
  private <T> T sftp(String what, SftpCall<T> call) {
    var channel = new java.util.concurrent.atomic.AtomicReference<SftpClient>();
    java.util.concurrent.Future<T> future =
        transfers.submit(
            () -> {
              try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
                channel.set(sftp);
                return call.run(sftp);
              }
            });
    Duration timeout = settings.transferTimeout();
    try {
      return future.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      abandon(future, channel.get());
      throw new WorkflowException(
          ErrorKind.TIMEOUT,
          what
              + " on "
              + settings.target()
              + " did not finish within "
              + timeout.toMillis()
              + " ms; its SFTP channel was closed",
          e,
          true,
          Map.of("target", settings.target()),
          List.of("raise SshSettings.withTransferTimeout(...) for large files"));
    } catch (InterruptedException e) {
      abandon(future, channel.get());
      Thread.currentThread().interrupt();
      throw new CancelledException(what + " on " + settings.target() + " was interrupted");
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw ioFailure(what, io);
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new WorkflowException(
          ErrorKind.INTERNAL, what + " on " + settings.target() + " failed: " + cause, cause);
    }
  }

  private static void abandon(java.util.concurrent.Future<?> future, SftpClient sftp) {
    future.cancel(true);
    if (sftp != null) {
      try {
        sftp.close();
      } catch (IOException e) {
        log.debug("closing an abandoned SFTP channel failed: {}", e.toString());
      }
    }
  }

  /** Closes the session and stops the MINA client. Idempotent. */
  @Override
  public void close() {
    transfers.shutdownNow();
    closeQuietly(session);
    mina.stop();
  }

  private WorkflowException ioFailure(String what, IOException e) {
    if (e instanceof SftpException sftp) {
      return new WorkflowException(
          ErrorKind.REMOTE_FAILURE,
          what
              + " on "
              + settings.target()
              + " failed: "
              + sftp.getMessage()
              + " (SFTP status "
              + sftp.getStatus()
              + ")",
          e,
          false,
          Map.of("target", settings.target(), "sftpStatus", sftp.getStatus()),
          List.of());
    }
    if (e instanceof InterruptedIOException && Thread.currentThread().isInterrupted()) {
      return new CancelledException(what + " on " + settings.target() + " was interrupted");
    }
    return new WorkflowException(
        ErrorKind.CONNECTION,
        what + " on " + settings.target() + " failed: " + e.getMessage(),
        e,
        true,
        Map.of("target", settings.target()),
        List.of());
  }

  private static WorkflowException failure(
      SshSettings settings, HostKeyVerifiers.Recording verifier, Exception e) {
    String target = settings.target();
    String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (Boolean.FALSE.equals(verifier.accepted.get())) {
      return new WorkflowException(
          ErrorKind.AUTH,
          "the host key of "
              + target
              + " ("
              + verifier.presented.get()
              + ") is not trusted by "
              + describe(settings.hostKeys()),
          e,
          false,
          Map.of("target", target, "hostKey", verifier.presented.get()),
          List.of(
              "if the server was reinstalled, update the trusted key after checking it"
                  + " out of band (ssh-keyscan -p "
                  + settings.port()
                  + " "
                  + settings.host()
                  + ")"));
    }
    if (verifier.accepted.get() != null) {
      return new WorkflowException(
          ErrorKind.AUTH,
          target + " refused " + describe(settings.auth()) + ": " + reason,
          e,
          false,
          Map.of("target", target),
          List.of("check the user name and credentials"));
    }
    if (hasCause(e, ConnectException.class)
        || reason.toLowerCase().contains("timeout")
        || hasCause(e, java.net.UnknownHostException.class)
        || hasCause(e, java.nio.channels.UnresolvedAddressException.class)) {
      return new WorkflowException(
          ErrorKind.CONNECTION,
          "cannot connect to " + target + ": " + reason,
          e,
          true,
          Map.of("target", target),
          List.of("check that " + target + " is reachable"));
    }
    return new WorkflowException(
        ErrorKind.PROTOCOL,
        "SSH connection to " + target + " failed: " + reason,
        e,
        false,
        Map.of("target", target),
        List.of());
  }

  private static String describe(HostKeyPolicy policy) {
    if (policy instanceof HostKeyPolicy.KnownHosts known) {
      return "known_hosts file " + known.file();
    }
    return policy instanceof HostKeyPolicy.Pinned ? "the pinned keys" : "the policy";
  }

  private static String describe(SshAuth auth) {
    return auth instanceof SshAuth.KeyFile key ? "the key " + key.file() : "the password";
  }

  private static List<KeyPair> loadKeys(SshSettings settings) {
    if (!(settings.auth() instanceof SshAuth.KeyFile key)) {
      return List.of();
    }
    FilePasswordProvider passphrase =
        key.passphrase() == null
            ? FilePasswordProvider.EMPTY
            : FilePasswordProvider.of(key.passphrase().reveal());
    try (InputStream in = Files.newInputStream(key.file())) {
      var pairs = new ArrayList<KeyPair>();
      Iterable<KeyPair> loaded =
          SecurityUtils.loadKeyPairIdentities(
              null, NamedResource.ofName(key.file().toString()), in, passphrase);
      if (loaded != null) {
        loaded.forEach(pairs::add);
      }
      if (pairs.isEmpty()) {
        throw new IllegalArgumentException("no private key in " + key.file());
      }
      return pairs;
    } catch (IOException | java.security.GeneralSecurityException e) {
      throw new WorkflowException(
          ErrorKind.CONFIGURATION,
          "cannot load the SSH private key "
              + key.file()
              + " for "
              + settings.target()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** Puts the signature algorithms of the pinned key types first, so the server uses them. */
  private static void preferHostKeyTypes(
      org.apache.sshd.client.SshClient mina, List<String> types) {
    if (types.isEmpty()) {
      return;
    }
    List<NamedFactory<Signature>> all = new ArrayList<>(mina.getSignatureFactories());
    all.sort((a, b) -> Boolean.compare(!matches(a.getName(), types), !matches(b.getName(), types)));
    mina.setSignatureFactories(all);
  }

  private static boolean matches(String algorithm, List<String> keyTypes) {
    return keyTypes.stream()
        .anyMatch(
            t ->
                algorithm.equals(t)
                    || algorithm.startsWith(t + "-cert")
                    || t.equals("ssh-rsa") && algorithm.startsWith("rsa-sha2-"));
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static void closeQuietly(ClientSession session) {
    if (session != null) {
      try {
        session.close();
      } catch (IOException e) {
        log.debug("closing the SSH session failed: {}", e.toString());
      }
    }
  }

  private static String abbreviate(String text) {
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }
}
