package dev.opsflow.redis.cloud.testing;

import tools.jackson.databind.JsonNode;

/**
 * One request the {@link RedisCloudSimulator} received, for tests to assert on: what was asked,
 * when (on the simulator's clock) and what it answered. Immutable.
 *
 * @param method the HTTP method
 * @param path the path below {@code /v1}, without query
 * @param query the raw query string, or null
 * @param body the JSON body, or null when there was none
 * @param at when it arrived, on the simulator's clock
 * @param status the status answered (0 for a dropped connection)
 */
public record RecordedRequest(
    String method, String path, String query, JsonNode body, java.time.Instant at, int status) {

  /** {@return whether the method changes something (POST, PUT, PATCH, DELETE)} */
  public boolean isMutating() {
    return !method.equals("GET") && !method.equals("HEAD");
  }

  /** {@return {@code "METHOD path"}, handy in assertions} */
  public String line() {
    return method + " " + path;
  }
}
