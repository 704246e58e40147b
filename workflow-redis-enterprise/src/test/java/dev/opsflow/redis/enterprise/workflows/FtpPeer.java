package dev.opsflow.redis.enterprise.workflows;

import dev.opsflow.workflow.peers.Peers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real FTP server on a free loopback port, for the FTP export and import tests: Debian's {@code
 * python3-pyftpdlib} (a maintained FTP server library), run by Debian's {@code /usr/bin/python3}
 * with one user whose home is a temp dir. The password reaches it on its standard input, never its
 * command line; the server prints its port once it listens. Stopped by its PID on {@link #close()}.
 */
final class FtpPeer implements AutoCloseable {
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final String SERVER =
      String.join(
          "\n",
          "import sys",
          "from pyftpdlib.authorizers import DummyAuthorizer",
          "from pyftpdlib.handlers import FTPHandler",
          "from pyftpdlib.servers import FTPServer",
          "home, user = sys.argv[1], sys.argv[2]",
          "password = sys.stdin.readline().rstrip('\\n')",
          "authorizer = DummyAuthorizer()",
          "authorizer.add_user(user, password, home, perm='elradfmw')",
          "FTPHandler.authorizer = authorizer",
          "server = FTPServer(('127.0.0.1', 0), FTPHandler)",
          "print('listening', server.socket.getsockname()[1], flush=True)",
          "server.serve_forever()",
          "");

  final Path home;
  final String user = "backup";
  final String password;
  private final Process process;
  private final int port;

  private FtpPeer(Path home, Process process, int port, String password) {
    this.home = home;
    this.process = process;
    this.port = port;
    this.password = password;
  }

  /** Starts a server, or skips (fails under OPSFLOW_REQUIRE_PEERS) without pyftpdlib. */
  static FtpPeer start(Path dir) {
    if (!Files.isExecutable(PYTHON) || !hasPyftpdlib()) {
      return Peers.missing("python3 with pyftpdlib", "python3-pyftpdlib");
    }
    try {
      Path home = Files.createDirectories(dir.resolve("ftp-home"));
      Path script = Files.writeString(dir.resolve("ftp_server.py"), SERVER);
      Process process =
          new ProcessBuilder(PYTHON.toString(), script.toString(), home.toString(), "backup")
              .redirectError(dir.resolve("ftp.log").toFile())
              .start();
      String password = Peers.randomSecret();
      try (Writer stdin = process.outputWriter(StandardCharsets.UTF_8)) {
        stdin.write(password + "\n");
      }
      var out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      if (line == null || !line.startsWith("listening ")) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "the FTP server did not start: " + Files.readString(dir.resolve("ftp.log")));
      }
      return new FtpPeer(home, process, Integer.parseInt(line.substring(10).strip()), password);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean hasPyftpdlib() {
    try {
      Process check = new ProcessBuilder(PYTHON.toString(), "-c", "import pyftpdlib").start();
      return check.waitFor(20, TimeUnit.SECONDS) && check.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  int port() {
    return port;
  }

  /** {@code ftp://backup@127.0.0.1:PORT/} followed by {@code path}. */
  String url(String path) {
    return "ftp://" + user + "@127.0.0.1:" + port + "/" + path;
  }

  List<Path> files() throws IOException {
    try (var list = Files.walk(home)) {
      return list.filter(Files::isRegularFile).toList();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
