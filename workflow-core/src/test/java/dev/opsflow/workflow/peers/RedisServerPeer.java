package dev.opsflow.workflow.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A throwaway {@code redis-server} on a free 127.0.0.1 port, in its own temp dir, with no
 * persistence. The optional password is set through a config file in that dir, never on the command
 * line. {@link #close()} kills it by the PID in its pidfile and deletes the dir.
 *
 * <pre>{@code
 * try (RedisServerPeer redis = RedisServerPeer.startWithPassword()) {
 *   connect(redis.host(), redis.port(), redis.password().orElseThrow());
 * }
 * }</pre>
 */
public final class RedisServerPeer implements AutoCloseable {

  /** The address every peer listens on. */
  public static final String HOST = "127.0.0.1";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);
  private static final int ATTEMPTS = 3;

  private final Path dir;
  private final String password;
  private int port;
  private long pid = -1;

  private RedisServerPeer(Path dir, String password) {
    this.dir = dir;
    this.password = password;
  }

  /** Starts a server without a password. */
  public static RedisServerPeer start() {
    return start(null);
  }

  /** Starts a server that requires a fresh random password (see {@link #password()}). */
  public static RedisServerPeer startWithPassword() {
    return start(Peers.randomSecret());
  }

  /**
   * Starts a server; skips or fails (see {@link Peers}) when {@code redis-server} is missing.
   *
   * @param password the {@code requirepass} value ({@code [A-Za-z0-9._~+/=-]+}), or null for none
   */
  public static RedisServerPeer start(String password) {
    if (password != null && !password.matches("[A-Za-z0-9._~+/=-]+")) {
      throw new IllegalArgumentException("password must match [A-Za-z0-9._~+/=-]+");
    }
    Path binary = Peers.require("redis-server", "redis-server");
    RedisServerPeer peer;
    try {
      peer = new RedisServerPeer(Files.createTempDirectory("opsflow-redis-"), password);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      peer.launch(binary);
      return peer;
    } catch (RuntimeException | Error e) {
      peer.close();
      throw e;
    }
  }

  private void launch(Path binary) {
    Path conf = dir.resolve("redis.conf");
    try {
      Files.writeString(conf, "");
      Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
      Files.writeString(conf, password == null ? "" : "requirepass " + password + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (int attempt = 1; ; attempt++) {
      port = FreePorts.loopback();
      try {
        Files.deleteIfExists(logFile());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      List<String> command = new ArrayList<>(List.of(binary.toString(), conf.toString()));
      command.addAll(List.of("--bind", HOST, "--port", Integer.toString(port)));
      command.addAll(List.of("--daemonize", "yes", "--dir", dir.toString()));
      command.addAll(List.of("--pidfile", pidFile().toString(), "--logfile", logFile().toString()));
      command.addAll(List.of("--save", "", "--appendonly", "no"));
      PeerCommand.run(command, Map.of(), dir, null, START_TIMEOUT).orThrow();
      try {
        Peers.await(
            "redis-server on " + HOST + ":" + port,
            START_TIMEOUT,
            this::ready,
            () -> Peers.tail(logFile(), 4000));
        return;
      } catch (PortTaken e) {
        if (attempt == ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private boolean ready() throws IOException {
    String log = Files.exists(logFile()) ? Files.readString(logFile()) : "";
    if (log.contains("Address already in use")) {
      throw new PortTaken(Peers.tail(logFile(), 4000));
    }
    if (log.contains("aborting") || log.contains("FATAL")) {
      throw new IllegalStateException(
          "redis-server failed to start\n" + Peers.tail(logFile(), 4000));
    }
    Optional<Long> daemon = Pids.readPid(pidFile());
    daemon.ifPresent(p -> pid = p);
    return daemon.isPresent() && ping();
  }

  /** Always {@value #HOST}. */
  public String host() {
    return HOST;
  }

  /** The TCP port it listens on. */
  public int port() {
    return port;
  }

  /** The {@code requirepass} password, empty when the server has none. */
  public Optional<String> password() {
    return Optional.ofNullable(password);
  }

  /** PID of the daemon, from its pidfile. */
  public long pid() {
    return pid;
  }

  /** Its temp dir (config, pidfile, log). */
  public Path dir() {
    return dir;
  }

  /** Its log file. */
  public Path logFile() {
    return dir.resolve("redis.log");
  }

  private Path pidFile() {
    return dir.resolve("redis.pid");
  }

  /** Sends {@code PING} (after {@code AUTH} when there is a password); true on {@code +PONG}. */
  public boolean ping() {
    return "+PONG".equals(command("PING"));
  }

  /**
   * Sends one command on a fresh connection, after {@code AUTH} when there is a password.
   *
   * @return the reply: simple strings, errors and integers with their RESP prefix ({@code +PONG},
   *     {@code -NOAUTH ...}, {@code :1}), bulk strings bare (null for a null bulk), arrays as their
   *     elements joined by newlines
   */
  public String command(String... args) {
    return send(true, args);
  }

  /** Like {@link #command} but never authenticates, to check that a password is required. */
  public String commandWithoutAuth(String... args) {
    return send(false, args);
  }

  private String send(boolean auth, String... args) {
    return Resp.send(HOST, port, auth ? password : null, args);
  }

  /** Kills the daemon (SIGTERM, then SIGKILL after a grace period) and deletes its dir. */
  @Override
  public void close() {
    try {
      long daemon = Pids.readPid(pidFile()).orElse(pid);
      if (daemon > 0) {
        Pids.terminate(daemon, STOP_GRACE);
      }
    } finally {
      Peers.deleteRecursively(dir);
    }
  }
}
