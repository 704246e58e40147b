package dev.opsflow.redis.enterprise.testing;

/** What serves a simulated database's endpoint. */
public enum RedisBackend {
  /** A real {@code redis-server} when one is on the PATH (and the database has no TLS), else {@link #RESPONDER}. */
  AUTO,
  /** Always the minimal in-process RESP responder ({@link RespResponder}). */
  RESPONDER
}
