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
  RESPONDER;

  /** The core factory that serves this choice. */
  RedisEndpoints endpoints() {
    return this == AUTO ? RedisEndpoints.auto() : RedisEndpoints.inProcess();
  }
}
