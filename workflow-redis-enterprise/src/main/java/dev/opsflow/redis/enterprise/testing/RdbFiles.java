package dev.opsflow.redis.enterprise.testing;

import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.resp.RespConnection;
import dev.opsflow.workflow.testing.RedisEndpoints;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Real RDB files for the simulator's exports, imports and recoveries, made and loaded by the real
 * Redis tools: a dump is {@code redis-cli --rdb} against the database's redis-server (the password
 * in {@code REDISCLI_AUTH}, never on a command line); a load starts a throwaway redis-server on the
 * file and has the database replicate from it ({@code REPLICAOF}), then detaches it. Both wait in
 * real time, bounded, for real processes.
 */
final class RdbFiles {
  private static final long LIMIT_NANOS = TimeUnit.SECONDS.toNanos(20);

  private RdbFiles() {}

  /** A file of the database's data now, in the RDB format. */
  static Path dump(int port, String password) throws IOException {
    Path cli =
        RedisEndpoints.findOnPath("redis-cli")
            .or(() -> existing(Path.of("/usr/bin/redis-cli")))
            .orElseThrow(() -> new IOException("redis-cli is not installed"));
    Path file = Files.createTempFile("opsflow-export-", ".rdb");
    var builder =
        new ProcessBuilder(
                cli.toString(),
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(port),
                "--rdb",
                file.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    if (password != null && !password.isEmpty()) {
      builder.environment().put("REDISCLI_AUTH", password);
    }
    Process process = builder.start();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IOException("redis-cli --rdb from port " + port + " failed");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    return file;
  }

  /**
   * Replaces the data of the redis-server on {@code port} with the RDB file's.
   *
   * @throws IOException when the file does not load (not an RDB file, say) or the copy fails
   */
  static void load(Path rdb, int port, String password) throws IOException {
    Path server =
        RedisEndpoints.findRedisServer().orElseThrow(() -> new IOException("no redis-server"));
    Path dir = Files.createTempDirectory("opsflow-import-");
    Process source = null;
    String sourcePassword = UUID.randomUUID().toString();
    try {
      Files.copy(rdb, dir.resolve("dump.rdb"));
      int sourcePort;
      try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        sourcePort = probe.getLocalPort();
      }
      source =
          new ProcessBuilder(server.toString(), "-")
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("log").toFile())
              .start();
      try (OutputStream in = source.getOutputStream()) {
        String config =
            "port "
                + sourcePort
                + "\nbind 127.0.0.1\ndaemonize no\ndir \""
                + dir
                + "\"\ndbfilename dump.rdb\nsave \"\"\nappendonly no\nrequirepass \""
                + sourcePassword
                + "\"\n";
        in.write(config.getBytes(StandardCharsets.UTF_8));
      }
      Process started = source;
      await(
          () -> ping(sourcePort, sourcePassword) || !started.isAlive(),
          "the file to load into a throwaway redis-server");
      if (!source.isAlive()) {
        throw new IOException("the file is not a loadable RDB file");
      }
      try (var target = RespConnection.open("127.0.0.1", port, secret(password), null, timeout())) {
        target.call("CONFIG", "SET", "masterauth", sourcePassword);
        target.call("REPLICAOF", "127.0.0.1", Integer.toString(sourcePort));
        await(() -> inSync(target), "the database to load the file");
        target.call("REPLICAOF", "NO", "ONE");
        target.call("CONFIG", "SET", "masterauth", "");
      }
    } finally {
      if (source != null) {
        source.destroyForcibly();
        try {
          source.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      deleteTree(dir);
    }
  }

  /** Whether a replica's INFO says its link is up and its first sync is over. */
  static boolean inSync(RespConnection replica) {
    String info = replica.text("INFO", "replication");
    return info.contains("master_link_status:up") && info.contains("master_sync_in_progress:0");
  }

  private static boolean ping(int port, String password) {
    try (var c = RespConnection.open("127.0.0.1", port, secret(password), null, timeout())) {
      c.call("PING");
      return true;
    } catch (RuntimeException notYet) {
      return false;
    }
  }

  private static void await(BooleanSupplier condition, String what) throws IOException {
    long deadline = System.nanoTime() + LIMIT_NANOS;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IOException("timed out waiting for " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
  }

  private static Secret secret(String password) {
    return password == null || password.isEmpty() ? null : Secret.of(password);
  }

  private static Duration timeout() {
    return Duration.ofSeconds(10);
  }

  private static java.util.Optional<Path> existing(Path p) {
    return Files.isExecutable(p) ? java.util.Optional.of(p) : java.util.Optional.empty();
  }

  static void deleteTree(Path dir) {
    if (dir == null) {
      return;
    }
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // a temp file left behind is harmless
    }
  }
}
