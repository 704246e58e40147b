package dev.opsflow.hardware.testing;

import java.util.Map;

/**
 * One request a simulator received, for tests to assert on ("this call was (not) made"). Header
 * values that carry credentials are not kept. Immutable.
 *
 * @param method the HTTP method
 * @param path the path, without query
 * @param query the raw query string, or empty
 * @param body the body as text
 * @param headers selected headers (lower-case names), credentials excluded
 */
public record RecordedRequest(
    String method, String path, String query, String body, Map<String, String> headers) {

  /**
   * Copies the headers.
   *
   * @param method the HTTP method
   * @param path the path, without query
   * @param query the raw query string, or empty
   * @param body the body as text
   * @param headers selected headers (lower-case names), credentials excluded
   */
  public RecordedRequest {
    query = query == null ? "" : query;
    body = body == null ? "" : body;
    headers = Map.copyOf(headers);
  }

  /** {@return {@code METHOD path[?query]}, handy in assertions} */
  public String line() {
    return method + " " + path + (query.isEmpty() ? "" : "?" + query);
  }
}
