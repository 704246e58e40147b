package dev.opsflow.workflow.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Starts the Redis endpoints of a simulator's databases: {@link #auto()} runs a real {@code
 * redis-server} on a free loopback port when one is installed, and the in-process {@link
 * RespResponder} for TLS endpoints or when redis-server is missing or does not come up. The
 * password reaches redis-server on its standard input, never its command line.
 *
 * <pre>{@code
 * try (RedisEndpoint db = RedisEndpoints.auto().start("s3cret")) {
 *   RespPing.to(db.address()).withPassword(Secret.of("s3cret")).ping();
 * }
 * }</pre>
 *
 * <p>The factories here are stateless and thread-safe.
 */
@FunctionalInterface
public interface RedisEndpoints {

  /**
   * Starts an endpoint.
   *
   * @param password the password clients must {@code AUTH} with, or null for none
   * @param tls a server TLS context, or null for plain TCP
   * @param port a fixed loopback port, or 0 for a free one
   * @return the endpoint, listening
   * @throws IllegalStateException when it cannot start (a fixed port that is taken, say)
   */
  RedisEndpoint start(String password, SSLContext tls, int port);

  /**
   * Starts a plain-TCP endpoint on a free port.
   *
   * @param password the password clients must {@code AUTH} with, or null for none
   * @return the endpoint, listening
   * @throws IllegalStateException when it cannot start
   */
  default RedisEndpoint start(String password) {
    return start(password, null, 0);
  }

  /**
   * {@return a real redis-server when one is installed and the endpoint has no TLS, else the
   * responder}
   */
  static RedisEndpoints auto() {
    return (password, tls, port) -> {
      if (tls == null) {
        Optional<RedisServerProcess> real =
            findRedisServer()
                .flatMap(binary -> RedisServerProcess.tryStart(binary, password, port));
        if (real.isPresent()) {
          return real.get();
        }
      }
      return RespResponder.start(password, tls, port);
    };
  }

  /**
   * Always the in-process {@link RespResponder}.
   *
   * @return the endpoints, in this JVM
   */
  static RedisEndpoints inProcess() {
    return RespResponder::start;
  }

  /**
   * Always a real redis-server from {@code binary}, one process an endpoint; its {@code start}
   * throws IllegalStateException when it does not come up, and IllegalArgumentException for TLS.
   *
   * @param binary the {@code redis-server} executable
   * @return the endpoints, each a process of its own
   */
  static RedisEndpoints redisServer(Path binary) {
    return (password, tls, port) -> {
      if (tls != null) {
        throw new IllegalArgumentException("the redis-server endpoints serve plain TCP only");
      }
      return RedisServerProcess.tryStart(binary, password, port)
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      binary + " did not start on 127.0.0.1" + (port == 0 ? "" : ":" + port)));
    };
  }

  /** {@return the {@code redis-server} on the PATH, or in /usr/bin, /usr/sbin or /usr/local/bin} */
  static Optional<Path> findRedisServer() {
    return findExecutable("redis-server", List.of("/usr/bin", "/usr/sbin", "/usr/local/bin"));
  }

  /**
   * The first executable {@code name} on the PATH.
   *
   * @param name an executable's name
   * @return its path, or empty when none is on the PATH
   */
  static Optional<Path> findOnPath(String name) {
    return findExecutable(name, List.of());
  }

  private static Optional<Path> findExecutable(String name, List<String> alsoIn) {
    var dirs = new ArrayList<String>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(File.pathSeparator)));
    }
    dirs.addAll(alsoIn);
    return dirs.stream()
        .filter(d -> !d.isBlank())
        .map(d -> Path.of(d, name))
        .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p))
        .findFirst();
  }
}
