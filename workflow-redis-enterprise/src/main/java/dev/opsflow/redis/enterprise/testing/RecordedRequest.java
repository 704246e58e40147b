package dev.opsflow.redis.enterprise.testing;

import java.time.Instant;

/**
 * One request the simulator received, for tests to assert on. Secrets in the body (passwords,
 * license keys) are replaced by {@code ****}. Immutable.
 *
 * @param method the HTTP method
 * @param path the path, without the query
 * @param query the query string, or null
 * @param body the body with secrets redacted, or an empty string
 * @param user the basic-auth user name sent, or null
 * @param status the status answered; 0 when the connection was dropped
 * @param at when it arrived, on the simulator's clock
 */
public record RecordedRequest(
    String method, String path, String query, String body, String user, int status, Instant at) {

  /**
   * {@return whether the request may change state: anything but GET and HEAD, except the requests
   * that only check ({@code POST /v1/bootstrap/validate/...}, a {@code ?dry_run} request)}
   */
  public boolean isMutating() {
    if ("GET".equals(method) || "HEAD".equals(method)) {
      return false;
    }
    boolean checkOnly =
        path.startsWith("/v1/bootstrap/validate/") || (query != null && query.contains("dry_run"));
    return !checkOnly;
  }

  /**
   * Whether this is {@code method} on exactly {@code path}.
   *
   * @param method the HTTP method
   * @param path the path, without the query
   * @return true when both match
   */
  public boolean is(String method, String path) {
    return this.method.equals(method) && this.path.equals(path);
  }

  @Override
  public String toString() {
    return method + " " + path + (query == null ? "" : "?" + query) + " -> " + status;
  }
}
