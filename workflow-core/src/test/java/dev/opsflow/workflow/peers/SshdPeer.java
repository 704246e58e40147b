package dev.opsflow.workflow.peers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A throwaway OpenSSH {@code sshd} on a free 127.0.0.1 port, with its own temp dir, host keys
 * (ed25519 and ECDSA P-256), config and authorized_keys; key and password authentication and the
 * {@code internal-sftp} subsystem.
 *
 * <p>As root it lets in the local account {@code opsflowtest} (created if absent, random password
 * set through {@code chpasswd}'s stdin). Not as root, sshd can only log its own user in, so that is
 * the user and there is no password (key authentication only).
 *
 * <p>Client keys: ed25519 ({@link #clientKey()}) and RSA 3072 ({@link #rsaClientKey()}; OpenSSH 9.2
 * accepts it only with rsa-sha2-256/512 signatures, not SHA-1 {@code ssh-rsa}). {@link #close()}
 * kills the daemon and its sessions by PID and deletes the dir.
 */
public final class SshdPeer implements AutoCloseable {

  /** The address sshd listens on. */
  public static final String HOST = "127.0.0.1";

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final int ATTEMPTS = 3;

  private final Path dir;
  private final String username;
  private final String password;
  private Map<String, String> sessionEnvironment = Map.of();
  private List<String> extraAddresses = List.of();
  private int port;
  private long pid = -1;

  private SshdPeer(Path dir, String username, String password) {
    this.dir = dir;
    this.username = username;
    this.password = password;
  }

  /** Starts sshd; skips or fails (see {@link Peers}) when sshd or ssh-keygen is missing. */
  public static SshdPeer start() {
    return start(Map.of());
  }

  /**
   * Starts sshd whose sessions get {@code environment} (sshd's {@code SetEnv}, which overrides even
   * {@code PATH}: a test puts fake tools first on the PATH of the test user this way).
   */
  public static SshdPeer start(Map<String, String> environment) {
    return start(environment, List.of());
  }

  /**
   * Starts sshd with session {@code environment}, listening on {@code extraAddresses} too (other
   * loopback addresses such as 127.0.0.2, on the same port: several "machines" on one daemon).
   */
  public static SshdPeer start(Map<String, String> environment, List<String> extraAddresses) {
    for (String a : extraAddresses) {
      if (!a.startsWith("127.")) {
        throw new IllegalArgumentException("extra listen address must be loopback, was " + a);
      }
    }
    Path sshd = Peers.require("sshd", "openssh-server");
    Path keygen = Peers.require("ssh-keygen", "openssh-client");
    boolean root = Peers.isRoot();
    String user = root ? SshTestUser.NAME : System.getProperty("user.name");
    String password = root ? SshTestUser.ensure() : null;
    SshdPeer peer;
    try {
      peer = new SshdPeer(Files.createTempDirectory("opsflow-sshd-"), user, password);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    peer.sessionEnvironment = Map.copyOf(environment);
    peer.extraAddresses = List.copyOf(extraAddresses);
    try {
      peer.launch(sshd, keygen, root);
      return peer;
    } catch (RuntimeException | Error e) {
      peer.close();
      throw e;
    }
  }

  private void launch(Path sshd, Path keygen, boolean root) {
    try {
      // World-readable dir: sshd reads authorized_keys as the test user.
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.createDirectory(
          dir.resolve("client"),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      keygen(keygen, dir.resolve("ssh_host_ed25519_key"), "ed25519");
      keygen(keygen, dir.resolve("ssh_host_ecdsa_key"), "ecdsa", "-b", "256");
      keygen(keygen, clientKey(), "ed25519");
      keygen(keygen, rsaClientKey(), "rsa", "-b", "3072");
      Files.writeString(
          authorizedKeys(), readPub(clientKey()) + "\n" + readPub(rsaClientKey()) + "\n");
      Files.setPosixFilePermissions(authorizedKeys(), PosixFilePermissions.fromString("rw-r--r--"));
      if (root) {
        Files.createDirectories(Path.of("/run/sshd"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (int attempt = 1; ; attempt++) {
      port = FreePorts.loopback();
      writeConfig();
      if (attempt == 1) {
        run(sshd.toString(), "-t", "-f", config().toString());
      }
      run(sshd.toString(), "-f", config().toString(), "-E", logFile().toString());
      try {
        Peers.await(
            "sshd on " + HOST + ":" + port,
            TIMEOUT,
            this::ready,
            () -> Peers.tail(logFile(), 4000));
        break;
      } catch (PortTaken e) {
        if (attempt == ATTEMPTS) {
          throw e;
        }
      }
    }
    try {
      Files.write(knownHostsFile(), knownHostsLines());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void keygen(Path keygen, Path key, String type, String... extra) {
    List<String> command = new ArrayList<>(List.of(keygen.toString(), "-q", "-t", type));
    command.addAll(List.of(extra));
    command.addAll(List.of("-N", "", "-C", "opsflow-" + key.getFileName(), "-f", key.toString()));
    PeerCommand.run(command, Map.of(), dir, null, TIMEOUT).orThrow();
  }

  private void run(String... command) {
    PeerCommand.run(List.of(command), Map.of(), dir, null, TIMEOUT).orThrow();
  }

  private void writeConfig() {
    String config =
        String.join(
            "\n",
            "Port " + port,
            "ListenAddress " + HOST,
            extraListen(),
            "AddressFamily inet",
            "HostKey " + quote(dir.resolve("ssh_host_ed25519_key")),
            "HostKey " + quote(dir.resolve("ssh_host_ecdsa_key")),
            "PidFile " + quote(pidFile()),
            "AuthorizedKeysFile " + quote(authorizedKeys()),
            "PasswordAuthentication yes",
            "PubkeyAuthentication yes",
            "KbdInteractiveAuthentication no",
            "PermitRootLogin no",
            "UsePAM no",
            "StrictModes no",
            "AllowUsers " + username,
            "Subsystem sftp internal-sftp",
            "X11Forwarding no",
            "PrintMotd no",
            "PrintLastLog no",
            "MaxStartups 100",
            "MaxSessions 50",
            "LogLevel VERBOSE",
            setEnv(),
            "");
    try {
      Files.writeString(config(), config);
      Files.deleteIfExists(logFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String extraListen() {
    var lines = new StringBuilder();
    for (String a : extraAddresses) {
      lines.append(lines.isEmpty() ? "" : "\n").append("ListenAddress ").append(a);
    }
    return lines.toString();
  }

  private String setEnv() {
    if (sessionEnvironment.isEmpty()) {
      return "";
    }
    var line = new StringBuilder("SetEnv");
    sessionEnvironment.forEach(
        (k, v) -> line.append(' ').append(k).append("=\"").append(v).append('"'));
    return line.toString();
  }

  private static String quote(Path path) {
    return "\"" + path + "\"";
  }

  private boolean ready() throws IOException {
    String log = Files.exists(logFile()) ? Files.readString(logFile()) : "";
    if (log.contains("Address already in use") || log.contains("Cannot bind any address")) {
      throw new PortTaken(Peers.tail(logFile(), 4000));
    }
    Optional<Long> daemon = Pids.readPid(pidFile());
    daemon.ifPresent(p -> pid = p);
    return daemon.isPresent() && banner().startsWith("SSH-");
  }

  /** Connects and returns the server's identification line, e.g. {@code SSH-2.0-OpenSSH_9.2p1}. */
  public String banner() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, port), 2000);
      socket.setSoTimeout(5000);
      BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      String line = reader.readLine();
      return line == null ? "" : line.strip();
    } catch (IOException e) {
      throw new UncheckedIOException("sshd " + HOST + ":" + port + ": " + e.getMessage(), e);
    }
  }

  /** Always {@value #HOST}. */
  public String host() {
    return HOST;
  }

  /** The TCP port sshd listens on. */
  public int port() {
    return port;
  }

  /** The account to log in as ({@code opsflowtest} as root, else this JVM's user). */
  public String username() {
    return username;
  }

  /** The account's password; empty when not running as root (key authentication only). */
  public Optional<String> password() {
    return Optional.ofNullable(password);
  }

  /** The ed25519 client private key (OpenSSH format, no passphrase, mode 600). */
  public Path clientKey() {
    return dir.resolve("client/id_ed25519");
  }

  /** The RSA 3072 client private key (OpenSSH format, no passphrase); sign with rsa-sha2-256. */
  public Path rsaClientKey() {
    return dir.resolve("client/id_rsa");
  }

  /** The ed25519 host public key line as in its {@code .pub} file ({@code ssh-ed25519 AAAA...}). */
  public String hostPublicKey() {
    return readPub(dir.resolve("ssh_host_ed25519_key"));
  }

  /** {@code [127.0.0.1]:PORT ssh-ed25519 AAAA...}, to pin the ed25519 host key. */
  public String knownHostsLine() {
    return knownHostsLine(dir.resolve("ssh_host_ed25519_key"));
  }

  /** known_hosts lines for all host keys (ed25519, then ECDSA P-256). */
  public List<String> knownHostsLines() {
    return List.of(knownHostsLine(), knownHostsLine(dir.resolve("ssh_host_ecdsa_key")));
  }

  /** A known_hosts file holding {@link #knownHostsLines()}. */
  public Path knownHostsFile() {
    return dir.resolve("client/known_hosts");
  }

  private String knownHostsLine(Path hostKey) {
    String[] fields = readPub(hostKey).split("\\s+");
    return "[" + HOST + "]:" + port + " " + fields[0] + " " + fields[1];
  }

  private static String readPub(Path privateKey) {
    try {
      return Files.readString(Path.of(privateKey + ".pub")).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** PID of the listening sshd, from its pidfile. */
  public long pid() {
    return pid;
  }

  /** Its temp dir. */
  public Path dir() {
    return dir;
  }

  /** Its log file ({@code -E}). */
  public Path logFile() {
    return dir.resolve("sshd.log");
  }

  private Path config() {
    return dir.resolve("sshd_config");
  }

  private Path pidFile() {
    return dir.resolve("sshd.pid");
  }

  private Path authorizedKeys() {
    return dir.resolve("authorized_keys");
  }

  /** Kills sshd and its session processes (SIGTERM, then SIGKILL) and deletes the dir. */
  @Override
  public void close() {
    try {
      long daemon = Pids.readPid(pidFile()).orElse(pid);
      if (daemon > 0) {
        Pids.terminate(daemon, Duration.ofSeconds(5));
      }
    } finally {
      Peers.deleteRecursively(dir);
    }
  }
}
