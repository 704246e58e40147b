package dev.opsflow.workflow.http;

import dev.opsflow.workflow.ApiException;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.WorkflowException;
import dev.opsflow.workflow.http.ErrorDecoder.ApiError;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;

/** Turns error answers and I/O failures into Opsflow's exceptions, scrubbed of secrets. */
final class Failures {
  private Failures() {}

  /** A non-2xx answer as an {@link ApiException}. */
  static ApiException fromResponse(
      HttpResponseData response, ErrorDecoder decoder, List<String> secrets, Instant now) {
    ApiError error;
    try {
      error = decoder.decode(response);
    } catch (RuntimeException e) {
      error = null;
    }
    if (error == null) {
      error = ApiError.NONE;
    }
    int status = response.status();
    return new ApiException(
        response.method(),
        response.path(),
        status,
        Redactor.scrub(error.code(), secrets),
        Redactor.scrub(error.message(), secrets),
        ApiException.isRetryableStatus(status),
        RetryAfter.from(response, now).orElse(null),
        null);
  }

  /**
   * An I/O failure (no answer) as an exception: {@link ApiException} with status 0 (kind
   * CONNECTION) for connection and TLS failures, {@link WorkflowException} of kind TIMEOUT when the
   * answer took too long.
   */
  static WorkflowException fromIo(PreparedRequest request, IOException e, Duration connectTimeout) {
    String method = request.method();
    String path = request.path();
    URI uri = request.uri();
    List<String> secrets = request.secrets();
    Duration requestTimeout = request.timeout();
    String target = uri.getHost() + ":" + port(uri);
    if (e instanceof HttpConnectTimeoutException) {
      String message = "no connection to " + target + " within " + human(connectTimeout);
      return noAnswer(method, path, message, e, true, secrets);
    }
    if (e instanceof HttpTimeoutException) {
      String message =
          String.format(
              "%s %s got no answer from %s within %s; the request may still take effect on the"
                  + " server",
              method, path, target, human(requestTimeout));
      return new WorkflowException(
          ErrorKind.TIMEOUT,
          Redactor.scrub(message, secrets),
          e,
          true,
          Map.of("method", method, "path", path, "host", target),
          List.of("raise HttpSettings.withRequestTimeout(...) if the server is slow"));
    }
    if (e instanceof SSLHandshakeException) {
      return noAnswer(
          method,
          path,
          String.format(
              "TLS handshake with %s failed (%s); if the server's certificate comes from a"
                  + " private CA or is self-signed, trust it with"
                  + " HttpSettings.withTrustedPem(...) or withTrustedPemFile(...)",
              target, describe(e)),
          e,
          false,
          secrets);
    }
    if (hasCause(e, UnresolvedAddressException.class) || hasCause(e, UnknownHostException.class)) {
      return noAnswer(method, path, "cannot resolve host " + uri.getHost(), e, true, secrets);
    }
    if (e instanceof ConnectException) {
      // The JDK client reports a refused connection as a ConnectException without a message.
      String reason = firstMessage(e);
      String message =
          String.format(
              "cannot connect to %s (%s)", target, reason == null ? "connection refused" : reason);
      return noAnswer(method, path, message, e, true, secrets);
    }
    String message = "connection to " + target + " failed (" + describe(e) + ")";
    return noAnswer(method, path, message, e, true, secrets);
  }

  private static ApiException noAnswer(
      String method,
      String path,
      String message,
      IOException cause,
      boolean retryable,
      List<String> secrets) {
    return new ApiException(
        method, path, 0, null, Redactor.scrub(message, secrets), retryable, null, cause);
  }

  /** The first message in the cause chain, else the name of the innermost exception. */
  private static String describe(Throwable e) {
    String message = firstMessage(e);
    if (message != null) {
      return message;
    }
    Throwable deepest = e;
    while (deepest.getCause() != null && deepest.getCause() != deepest) {
      deepest = deepest.getCause();
    }
    return deepest.getClass().getSimpleName();
  }

  private static String firstMessage(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.getMessage();
      }
    }
    return null;
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static int port(URI uri) {
    if (uri.getPort() >= 0) {
      return uri.getPort();
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  private static String human(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? (millis / 1000) + " s" : millis + " ms";
  }
}
