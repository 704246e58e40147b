package dev.opsflow.workflow.http;

import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.WorkflowException;
import dev.opsflow.workflow.internal.CurrentAttempt;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;

/**
 * What exactly goes over the wire for one {@link HttpRequestSpec}: the merged headers (defaults,
 * content type, auth, the request's own), the serialised body, the timeout, and the secret values
 * that must not show up in logs or messages.
 */
record PreparedRequest(
    String method,
    String path,
    URI uri,
    Map<String, String> headers,
    String payload,
    Duration timeout,
    List<String> secrets) {
  private static final String JSON = "application/json";
  private static final String FORM = "application/x-www-form-urlencoded";

  static PreparedRequest prepare(HttpSettings settings, HttpRequestSpec spec, URI uri) {
    String method = spec.method();
    Map<String, String> authHeaders = AuthHeaders.of(settings.auth(), method, uri);
    var headers = new TreeMap<String, String>(String.CASE_INSENSITIVE_ORDER);
    headers.put("Accept", JSON);
    headers.putAll(settings.defaultHeaders());
    RequestBody body = spec.body();
    if (body instanceof RequestBody.JsonBody) {
      headers.put("Content-Type", JSON);
    } else if (body instanceof RequestBody.Form) {
      headers.put("Content-Type", FORM);
    } else if (body instanceof RequestBody.Text text) {
      headers.put("Content-Type", text.contentType());
    }
    // A run's step sends it: the engine's decorators (a trace context) come before auth and the
    // request's own headers, which win.
    headers.putAll(CurrentAttempt.headers(method, uri));
    headers.putAll(authHeaders);
    headers.putAll(spec.headers());

    var secrets = new ArrayList<>(AuthHeaders.secretsIn(settings.auth(), authHeaders));
    headers.forEach(
        (name, value) -> {
          if (Redactor.isSensitiveName(name)) {
            secrets.add(value);
          }
        });
    Duration timeout = spec.timeout() != null ? spec.timeout() : settings.requestTimeout();
    String path = spec.path();
    int query = path.indexOf('?');
    return new PreparedRequest(
        method,
        query < 0 ? path : path.substring(0, query),
        uri,
        Collections.unmodifiableMap(headers),
        payload(spec),
        timeout,
        List.copyOf(secrets));
  }

  /** The JDK request. */
  HttpRequest toHttpRequest() {
    var builder = HttpRequest.newBuilder(uri).timeout(timeout);
    headers.forEach(builder::header);
    builder.method(
        method, payload == null ? BodyPublishers.noBody() : BodyPublishers.ofString(payload));
    return builder.build();
  }

  /** The headers with secret values masked, for logs. */
  Map<String, List<String>> redactedHeaders() {
    var multi = new TreeMap<String, List<String>>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((name, value) -> multi.put(name, List.of(value)));
    return Redactor.redactHeaders(multi);
  }

  /** A text (a body, a message) with sensitive fields and this request's secrets masked. */
  String redact(String text) {
    return text == null || text.isEmpty() ? "" : Redactor.scrub(Redactor.redactJson(text), secrets);
  }

  private static String payload(HttpRequestSpec spec) {
    RequestBody body = spec.body();
    if (body instanceof RequestBody.JsonBody json) {
      try {
        return Json.mapper().writeValueAsString(json.value());
      } catch (JacksonException e) {
        throw new WorkflowException(
            ErrorKind.CONFIGURATION,
            "cannot write the body of "
                + spec.method()
                + " "
                + spec.path()
                + " as JSON ("
                + json.value().getClass().getName()
                + "): "
                + e.getOriginalMessage(),
            e);
      }
    }
    if (body instanceof RequestBody.Form form) {
      return form.encoded();
    }
    if (body instanceof RequestBody.Text text) {
      return text.content();
    }
    return null;
  }
}
