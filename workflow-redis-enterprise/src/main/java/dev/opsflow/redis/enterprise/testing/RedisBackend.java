package dev.opsflow.redis.enterprise.testing;

import dev.opsflow.workflow.testing.RedisEndpoints;
import dev.opsflow.workflow.testing.RespResponder;

/** What serves a simulated database's endpoint. */
public enum RedisBackend {
  /**
   * A real {@code redis-server} when one is installed (and the database has no TLS), else {@link
   * #RESPONDER}.
   */
  AUTO,
  /** Always the minimal in-process RESP responder ({@link RespResponder}). */
  RESPONDER,
  /**
   * Always a real {@code redis-server} (no TLS databases): one that does not come up on a port is
   * tried on the next, never replaced by the responder, so data operations (upgrades, Replica Of,
   * exports, imports, recoveries) always have a real server behind them.
   */
  REDIS_SERVER;

  /** The core factory that serves this choice. */
  RedisEndpoints endpoints() {
    return switch (this) {
      case AUTO -> RedisEndpoints.auto();
      case RESPONDER -> RedisEndpoints.inProcess();
      case REDIS_SERVER ->
          RedisEndpoints.redisServer(
              RedisEndpoints.findRedisServer()
                  .orElseThrow(
                      () -> new IllegalArgumentException("redis-server is not installed")));
    };
  }
}
