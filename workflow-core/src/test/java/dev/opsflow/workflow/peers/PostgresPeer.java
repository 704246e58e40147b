package dev.opsflow.workflow.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster ({@code initdb} + {@code pg_ctl}) on a free 127.0.0.1 port, in its
 * own temp dir. Superuser {@code postgres} with a random password that is written only to a
 * mode-600 pwfile for {@code initdb} (deleted afterwards) and handed to {@code psql} through its
 * environment, never on a command line. TCP connections need the password (scram-sha-256).
 *
 * <p>As root the cluster belongs to the {@code postgres} account ({@code initdb} refuses root) and
 * runs through {@code runuser -u postgres --} (or {@code su postgres}). {@link #close()} stops it
 * with {@code pg_ctl -m immediate}, kills the postmaster if that fails, and deletes the dir.
 */
public final class PostgresPeer implements AutoCloseable {

  /** The address the cluster listens on. */
  public static final String HOST = "127.0.0.1";

  /** The superuser name. */
  public static final String USER = "postgres";

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final int ATTEMPTS = 3;

  private final Path root;
  private final Path binDir;
  private final String password = Peers.randomSecret();
  private int port;
  private long pid = -1;

  private PostgresPeer(Path root, Path binDir) {
    this.root = root;
    this.binDir = binDir;
  }

  /**
   * Creates and starts a cluster; skips or fails (see {@link Peers}) when {@code initdb}, {@code
   * pg_ctl} or {@code psql} is missing, or, as root, when there is no {@code postgres} account.
   */
  public static PostgresPeer start() {
    Path initdb = Peers.require("initdb", "postgresql", versionedBinDirs());
    Path binDir;
    try {
      binDir = initdb.toRealPath().getParent();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Peers.require("pg_ctl", "postgresql", binDir);
    Peers.require("psql", "postgresql-client", binDir);
    if (Peers.isRoot() && PeerCommand.run(TIMEOUT, "id", "-u", USER).exitCode() != 0) {
      Peers.missing("the system account '" + USER + "'", "postgresql");
    }
    PostgresPeer peer;
    try {
      peer = new PostgresPeer(Files.createTempDirectory("opsflow-pg-"), binDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      peer.launch();
      return peer;
    } catch (RuntimeException | Error e) {
      peer.close();
      throw e;
    }
  }

  /** {@code /usr/lib/postgresql/<version>/bin}, highest version first. */
  private static Path[] versionedBinDirs() {
    Path base = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(base)) {
      return new Path[0];
    }
    try (Stream<Path> versions = Files.list(base)) {
      return versions
          .filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)?"))
          .sorted(
              Comparator.comparingDouble((Path v) -> Double.parseDouble(v.getFileName().toString()))
                  .reversed())
          .map(v -> v.resolve("bin"))
          .toArray(Path[]::new);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void launch() {
    Path pwfile = root.resolve("pwfile");
    try {
      Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
      Files.createDirectory(
          sockDir(),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      Files.createFile(
          pwfile,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(pwfile, password + "\n");
      if (Peers.isRoot()) {
        UserPrincipal owner =
            root.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(USER);
        for (Path p : List.of(root, sockDir(), pwfile)) {
          Files.setOwner(p, owner);
        }
      }
      List<String> initdb = new ArrayList<>(List.of(bin("initdb"), "-D", dataDir().toString()));
      initdb.addAll(List.of("-U", USER, "--auth-local=trust", "--auth-host=scram-sha-256"));
      initdb.addAll(List.of("--pwfile=" + pwfile, "-E", "UTF8", "--no-locale"));
      asPostgres(initdb).orThrow();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      try {
        Files.deleteIfExists(pwfile);
      } catch (IOException e) {
        // Removed with the dir on close.
      }
    }
    for (int attempt = 1; ; attempt++) {
      port = FreePorts.loopback();
      String options = "-c listen_addresses=" + HOST + " -p " + port;
      options += " -k " + quote(sockDir()) + " -c fsync=on";
      List<String> pgctl = new ArrayList<>(List.of(bin("pg_ctl"), "-D", dataDir().toString()));
      pgctl.addAll(List.of("-l", logFile().toString(), "-w", "-t", "30", "-o", options, "start"));
      PeerCommand.Result started = asPostgres(pgctl);
      Pids.readPid(dataDir().resolve("postmaster.pid")).ifPresent(p -> pid = p);
      if (started.ok()) {
        return;
      }
      String log = Peers.tail(logFile(), 4000);
      if (attempt == ATTEMPTS || !log.contains("already in use")) {
        throw new IllegalStateException(started.describe() + "\n" + log);
      }
    }
  }

  private PeerCommand.Result asPostgres(List<String> command) {
    List<String> full = new ArrayList<>();
    if (Peers.isRoot()) {
      Optional<Path> runuser = Peers.find("runuser");
      if (runuser.isPresent()) {
        full.addAll(List.of(runuser.get().toString(), "-u", USER, "--"));
        full.addAll(command);
      } else {
        String line = command.stream().map(PostgresPeer::quote).collect(Collectors.joining(" "));
        String su = Peers.require("su", "util-linux").toString();
        full.addAll(List.of(su, USER, "-s", "/bin/sh", "-c", line));
      }
    } else {
      full.addAll(command);
    }
    return PeerCommand.run(full, Map.of("LC_ALL", "C"), root, null, TIMEOUT);
  }

  private String bin(String name) {
    return binDir.resolve(name).toString();
  }

  private static String quote(Object arg) {
    return "'" + arg.toString().replace("'", "'\\''") + "'";
  }

  /** Always {@value #HOST}. */
  public String host() {
    return HOST;
  }

  /** The TCP port the cluster listens on. */
  public int port() {
    return port;
  }

  /** Always {@value #USER}. */
  public String user() {
    return USER;
  }

  /** The superuser's random password (scram-sha-256 over TCP). */
  public String password() {
    return password;
  }

  /** {@code jdbc:postgresql://127.0.0.1:PORT/database}. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + HOST + ":" + port + "/" + database;
  }

  /** The directory of initdb, pg_ctl and psql used (e.g. {@code /usr/lib/postgresql/15/bin}). */
  public Path binDir() {
    return binDir;
  }

  /** PID of the postmaster. */
  public long pid() {
    return pid;
  }

  /** The cluster's data directory. */
  public Path dataDir() {
    return root.resolve("data");
  }

  /** The server log. */
  public Path logFile() {
    return root.resolve("postgres.log");
  }

  private Path sockDir() {
    return root.resolve("sock");
  }

  /**
   * Creates a database owned by {@value #USER}.
   *
   * @param name a lower-case identifier ({@code [a-z_][a-z0-9_]*}, at most 63 characters)
   */
  public void createDatabase(String name) {
    if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("not a plain identifier: " + name);
    }
    psql("postgres", "create database \"" + name + "\"");
  }

  /**
   * Runs SQL with {@code psql} over TCP as {@value #USER} (password in its environment only).
   *
   * @return its unaligned, tuples-only output, trimmed
   * @throws IllegalStateException when psql fails
   */
  public String psql(String database, String sql) {
    List<String> command = new ArrayList<>(List.of(bin("psql"), "-X", "-q", "-A", "-t"));
    command.addAll(List.of("-v", "ON_ERROR_STOP=1", "-h", HOST, "-p", Integer.toString(port)));
    command.addAll(List.of("-U", USER, "-d", database, "-c", sql));
    Map<String, String> env = Map.of("PGPASSWORD", password, "PGCONNECT_TIMEOUT", "10");
    return PeerCommand.run(command, env, root, null, TIMEOUT).orThrow().stdout().trim();
  }

  /**
   * Stops the cluster ({@code pg_ctl -m immediate}, else kills the postmaster) and deletes the dir.
   * Immediate: a throwaway cluster needs no shutdown checkpoint, which on a busy disk held a test
   * JVM's exit past surefire's limit (its data is deleted next anyway).
   */
  @Override
  public void close() {
    try {
      long postmaster = Pids.readPid(dataDir().resolve("postmaster.pid")).orElse(pid);
      if (postmaster > 0 && Pids.isRunning(postmaster)) {
        PeerCommand.Result stopped = null;
        try {
          String data = dataDir().toString();
          stopped = asPostgres(List.of(bin("pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop"));
        } catch (RuntimeException e) {
          // Fall back to killing it.
        }
        if (stopped == null
            || !stopped.ok()
            || !Pids.awaitStopped(postmaster, Duration.ofSeconds(10))) {
          Pids.terminate(postmaster, Duration.ofSeconds(5));
        }
      }
    } finally {
      Peers.deleteRecursively(root);
    }
  }
}
