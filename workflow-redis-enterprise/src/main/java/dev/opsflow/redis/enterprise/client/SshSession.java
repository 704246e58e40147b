package dev.opsflow.redis.enterprise.client;

import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.WorkflowException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;

/**
 * One SSH connection (Apache MINA SSHD) to a cluster node or an SFTP server, authenticated with a
 * private key, the host key verified against a {@code known_hosts} file: an unknown or changed host
 * key is refused (AUTH), never accepted silently. Runs commands (the software installer) and moves
 * files over SFTP (the simulator's exports and imports). Not thread-safe; close it when done.
 */
public final class SshSession implements AutoCloseable {
  private static final Duration CONNECT = Duration.ofSeconds(30);

  private final SshClient mina;
  private final ClientSession session;
  private final String target;

  private SshSession(SshClient mina, ClientSession session, String target) {
    this.mina = mina;
    this.session = session;
    this.target = target;
  }

  /**
   * What a command printed and how it ended.
   *
   * @param exitCode the command's exit status
   * @param stdout what it printed on standard output
   * @param stderr what it printed on standard error
   */
  public record Result(int exitCode, String stdout, String stderr) {
    /** {@return whether it exited with 0} */
    public boolean ok() {
      return exitCode == 0;
    }
  }

  /**
   * Connects to {@code user@host:port} with the private key in PEM or OpenSSH format.
   *
   * @param host the server's host
   * @param port its SSH port
   * @param user the user to log in as
   * @param privateKey the private key, PEM or OpenSSH
   * @param knownHosts a {@code known_hosts} file that must list the server's host key
   * @return the authenticated session; close it when done
   * @throws WorkflowException CONNECTION when the server cannot be reached, AUTH when the host key
   *     is not trusted or the key is refused, CONFIGURATION when the key cannot be read
   */
  public static SshSession connect(
      String host, int port, String user, String privateKey, Path knownHosts) {
    String target = user + "@" + host + ":" + port;
    if (knownHosts == null || !Files.isReadable(knownHosts)) {
      throw new WorkflowException(
          ErrorKind.CONFIGURATION,
          "known_hosts file '" + knownHosts + "' cannot be read: host keys must be verified");
    }
    Iterable<KeyPair> keys;
    try {
      keys =
          SecurityUtils.loadKeyPairIdentities(
              null,
              NamedResource.ofName("private key"),
              new java.io.ByteArrayInputStream(privateKey.getBytes(StandardCharsets.UTF_8)),
              FilePasswordProvider.EMPTY);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new WorkflowException(
          ErrorKind.CONFIGURATION, "the SSH private key for " + target + " cannot be read");
    }
    SshClient mina = SshClient.setUpDefaultClient();
    mina.setServerKeyVerifier(
        new KnownHostsServerKeyVerifier(RejectAllServerKeyVerifier.INSTANCE, knownHosts));
    mina.start();
    ClientSession session = null;
    try {
      session = mina.connect(user, host, port).verify(CONNECT).getSession();
      for (KeyPair key : keys) {
        session.addPublicKeyIdentity(key);
      }
      session.auth().verify(CONNECT);
      return new SshSession(mina, session, target);
    } catch (IOException | RuntimeException e) {
      if (session != null) {
        session.close(true);
      }
      mina.stop();
      String text = String.valueOf(e.getMessage());
      boolean refused =
          text.contains("Server key did not validate")
              || text.contains("No more authentication methods")
              || text.contains("authentication");
      throw new WorkflowException(
          refused ? ErrorKind.AUTH : ErrorKind.CONNECTION,
          "SSH to " + target + " failed: " + text,
          e,
          !refused,
          Map.of("target", target),
          refused
              ? List.of(
                  "check that the node's host key is in the known_hosts file and the key is"
                      + " authorized for "
                      + user)
              : List.of());
    }
  }

  /**
   * Runs a command and waits for it.
   *
   * @param command the shell command to run
   * @param timeout the time limit of the command
   * @return its exit status and output
   * @throws WorkflowException TIMEOUT when it outlives {@code timeout}, CONNECTION when the
   *     connection fails
   */
  public Result exec(String command, Duration timeout) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    try (ChannelExec channel = session.createExecChannel(command)) {
      channel.setOut(out);
      channel.setErr(err);
      channel.open().verify(timeout);
      var events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout);
      Integer status = channel.getExitStatus();
      if (status == null && events.contains(ClientChannelEvent.TIMEOUT)) {
        throw new WorkflowException(
            ErrorKind.TIMEOUT, "'" + command + "' on " + target + " did not end within " + timeout);
      }
      return new Result(
          status == null ? -1 : status,
          out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new WorkflowException(
          ErrorKind.CONNECTION, "SSH to " + target + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * Writes {@code local} to {@code remotePath} over SFTP.
   *
   * @param local the file to send
   * @param remotePath where to write it on the server
   * @throws IOException if the transfer fails
   */
  public void upload(Path local, String remotePath) throws IOException {
    try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session);
        OutputStream out = sftp.write(remotePath);
        InputStream in = Files.newInputStream(local)) {
      in.transferTo(out);
    }
  }

  /**
   * Reads {@code remotePath} over SFTP into {@code local}.
   *
   * @param remotePath the file to read on the server
   * @param local where to write it
   * @throws IOException if the transfer fails
   */
  public void download(String remotePath, Path local) throws IOException {
    try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session);
        InputStream in = sftp.read(remotePath);
        OutputStream out = Files.newOutputStream(local)) {
      in.transferTo(out);
    }
  }

  /** {@return {@code user@host:port}} */
  public String target() {
    return target;
  }

  @Override
  public void close() {
    session.close(true);
    mina.stop();
  }
}
