package dev.opsflow.redis.enterprise.testing;

import java.util.Optional;
import javax.net.ssl.SSLContext;

/** Starts the Redis endpoint of a simulated database: a real redis-server when possible. */
final class RedisEndpoints {
  private RedisEndpoints() {}

  /**
   * @param port a fixed port, or 0 for a free one
   * @throws IllegalStateException when a fixed port cannot be had
   */
  static RedisEndpoint start(RedisBackend backend, String password, SSLContext tls, int port) {
    if (backend == RedisBackend.AUTO && tls == null) {
      Optional<RedisEndpoint> real = RedisServerProcess.binary()
          .flatMap(binary -> RedisServerProcess.tryStart(binary, password, port));
      if (real.isPresent()) {
        return real.get();
      }
    }
    return RespResponder.start(password, tls, port);
  }
}
