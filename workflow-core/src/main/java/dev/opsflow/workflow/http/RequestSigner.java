package dev.opsflow.workflow.http;

import java.net.URI;
import java.util.Map;

/**
 * Computes authentication headers for one request, called by {@link JsonHttpClient} right before
 * each request is sent. It serves schemes whose headers change per request or over time: MAAS
 * OAuth1 PLAINTEXT (a fresh nonce and timestamp each time), a Redfish session token obtained at
 * login, a token that is refreshed when it expires.
 *
 * <p>The returned headers are added after the settings' default headers and before the request's
 * own headers. Their values are treated as secrets: they are redacted in logs and scrubbed from
 * exception messages. Implementations must be thread-safe, because one client serves many threads.
 */
@FunctionalInterface
public interface RequestSigner {
  /**
   * The headers to add to one request.
   *
   * @param method the HTTP method, upper case
   * @param uri the full URI of the request, query included
   * @return header names and values; never null (an empty map adds nothing)
   * @throws RuntimeException when no credentials can be produced; it propagates to the caller
   */
  Map<String, String> sign(String method, URI uri);
}
