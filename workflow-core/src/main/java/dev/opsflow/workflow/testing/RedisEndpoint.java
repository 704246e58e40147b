package dev.opsflow.workflow.testing;

/**
 * A running Redis endpoint of a simulated database, on the loopback address: a real {@code
 * redis-server} ({@link RedisServerProcess}) or the in-process {@link RespResponder}. Started by
 * {@link RedisEndpoints}. Implementations are thread-safe.
 */
public interface RedisEndpoint extends AutoCloseable {
  /**
   * {@return the address it listens on: {@code 127.0.0.1} unless an implementation says otherwise}
   */
  default String host() {
    return "127.0.0.1";
  }

  /** {@return its port} */
  int port();

  /** {@return {@code host:port}, as an API would report the endpoint} */
  default String address() {
    return host() + ":" + port();
  }

  /** {@return {@code redis-server} or {@code responder}, for messages and tests} */
  String kind();

  /** Stops it; never throws, and a second call does nothing. */
  @Override
  void close();
}
