package dev.opsflow.workflow.http;

import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.WorkflowException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;

/**
 * An answer as data: status, headers (looked up ignoring case), the body as text, and the body
 * parsed as JSON on demand. Returned by {@link JsonHttpClient#send(HttpRequestSpec)} for callers
 * that need headers (ETag, Location, X-Auth-Token, Retry-After) or a body that is not JSON.
 *
 * <p>Immutable and thread-safe.
 *
 * @param method the request's method
 * @param path the request's path (without query), for messages
 * @param status the HTTP status
 * @param headers the response headers; names compare ignoring case
 * @param body the body as text, empty when there was none
 */
public record HttpResponseData(
    String method, String path, int status, Map<String, List<String>> headers, String body) {

  /** How much of a body an error message quotes. */
  static final int EXCERPT_LENGTH = 200;

  /**
   * Copies the headers into a case-insensitive map.
   *
   * @param method the request's method
   * @param path the request's path (without query), for messages
   * @param status the HTTP status
   * @param headers the response headers; names compare ignoring case
   * @param body the body as text, empty when there was none
   * @throws IllegalArgumentException if a part is null
   */
  public HttpResponseData {
    if (method == null || path == null || headers == null || body == null) {
      throw new IllegalArgumentException("method, path, headers and body must not be null");
    }
    var copy = new TreeMap<String, List<String>>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
    headers = Collections.unmodifiableMap(copy);
  }

  /** {@return whether the status is 2xx} */
  public boolean isSuccess() {
    return status >= 200 && status < 300;
  }

  /**
   * The first value of a header, ignoring the name's case.
   *
   * @param name the header's name, in any case
   * @return its first value, or empty when absent
   */
  public Optional<String> header(String name) {
    return headerValues(name).stream().findFirst();
  }

  /**
   * Every value of a header, ignoring the name's case; empty when absent.
   *
   * @param name the header's name, in any case
   * @return its values in the order received
   */
  public List<String> headerValues(String name) {
    return headers.getOrDefault(name, List.of());
  }

  /**
   * {@return how long the server asked to wait, from {@code Retry-After} (seconds or an HTTP date)
   * or Redis Cloud's {@code x-rate-limit-retry-after-seconds}}
   */
  public Optional<Duration> retryAfter() {
    return RetryAfter.from(this, Instant.now());
  }

  /** {@return whether the body is empty or blank} */
  public boolean hasBody() {
    return !body.isBlank();
  }

  /**
   * {@return the body as a JSON tree; a missing node when the body is empty}
   *
   * @throws WorkflowException of kind PROTOCOL if the body is not valid JSON
   */
  public JsonNode json() {
    if (!hasBody()) {
      return Json.mapper().missingNode();
    }
    try {
      return Json.mapper().readTree(body);
    } catch (JacksonException e) {
      throw notJson("a body that is not valid JSON");
    }
  }

  /**
   * The body read as a type; null when the body is empty (a 204, say).
   *
   * @param <T> the type to read
   * @param type the class to read the body as
   * @return the body as that type, or null for an empty body
   * @throws WorkflowException of kind PROTOCOL if the body is not valid JSON or not of that shape
   */
  public <T> T as(Class<T> type) {
    return read(Json.mapper().constructType(type));
  }

  /**
   * The body read as a generic type; null when the body is empty.
   *
   * @param <T> the type to read
   * @param type the generic type to read the body as
   * @return the body as that type, or null for an empty body
   * @throws WorkflowException of kind PROTOCOL if the body is not valid JSON or not of that shape
   */
  public <T> T as(TypeReference<T> type) {
    return read(Json.mapper().constructType(type));
  }

  private <T> T read(JavaType type) {
    if (!hasBody()) {
      return null;
    }
    try {
      return Json.mapper().readValue(body, type);
    } catch (StreamReadException e) {
      throw notJson("a body that is not valid JSON");
    } catch (JacksonException e) {
      // The original message may quote a value from the body; name the type and path only.
      throw notJson(
          "JSON that does not fit "
              + type.getRawClass().getSimpleName()
              + " at "
              + e.getPathReference());
    }
  }

  private WorkflowException notJson(String problem) {
    return new WorkflowException(
        ErrorKind.PROTOCOL,
        method + " " + path + " answered " + status + " with " + problem + ": " + excerpt(),
        null,
        false,
        Map.of("method", method, "path", path, "status", status),
        List.of());
  }

  /** The body redacted and cut to {@value #EXCERPT_LENGTH} characters, for messages. */
  String excerpt() {
    String redacted = Redactor.redactJson(body.strip());
    return redacted.length() <= EXCERPT_LENGTH
        ? redacted
        : redacted.substring(0, EXCERPT_LENGTH) + "...";
  }
}
