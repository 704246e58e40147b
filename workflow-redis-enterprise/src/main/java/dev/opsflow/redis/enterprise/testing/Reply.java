package dev.opsflow.redis.enterprise.testing;

import java.util.Map;

/** An answer of the simulated API: a status and a JSON body (null for none). */
record Reply(int status, Object body) {
  static Reply ok(Object body) {
    return new Reply(200, body);
  }

  static Reply error(int status, String code, String description) {
    return new Reply(status, new ErrorBody(code, description));
  }

  /** The real error shape; the simulator writes the description under its configured field. */
  record ErrorBody(String code, String description) {
    Map<String, Object> toJson(String messageField) {
      return Map.of("error_code", code, messageField, description);
    }
  }
}
