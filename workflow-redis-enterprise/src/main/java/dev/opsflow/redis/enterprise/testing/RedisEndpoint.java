package dev.opsflow.redis.enterprise.testing;

/** A running Redis endpoint of a simulated database, on 127.0.0.1. */
interface RedisEndpoint extends AutoCloseable {
  /** Its port. */
  int port();

  /** {@code redis-server} or {@code responder}, for messages and tests. */
  String kind();

  /** Stops it; never throws. */
  @Override
  void close();
}
