package dev.opsflow.workflow.http;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns an {@link Auth} into the headers of one request; the only place secrets are revealed. */
final class AuthHeaders {
  private AuthHeaders() {}

  static Map<String, String> of(Auth auth, String method, URI uri) {
    var headers = new LinkedHashMap<String, String>();
    if (auth instanceof Auth.Basic basic) {
      String pair = basic.username() + ":" + basic.password().reveal();
      String encoded = Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
      headers.put("Authorization", "Basic " + encoded);
    } else if (auth instanceof Auth.Headers fixed) {
      fixed.headers().forEach((name, value) -> headers.put(name, value.reveal()));
    } else if (auth instanceof Auth.Bearer bearer) {
      headers.put("Authorization", "Bearer " + bearer.token().reveal());
    } else if (auth instanceof Auth.Custom custom) {
      Map<String, String> signed = custom.signer().sign(method, uri);
      if (signed != null) {
        headers.putAll(signed);
      }
    }
    return headers;
  }

  /**
   * The secret strings hidden in an auth's headers, so that messages can be scrubbed of them: the
   * header values themselves plus, for basic auth, the bare password.
   */
  static List<String> secretsIn(Auth auth, Map<String, String> authHeaders) {
    var secrets = new ArrayList<String>(authHeaders.values());
    if (auth instanceof Auth.Basic basic) {
      secrets.add(basic.password().reveal());
      secrets.add(headerToken(authHeaders.get("Authorization")));
    } else if (auth instanceof Auth.Bearer bearer) {
      secrets.add(bearer.token().reveal());
    }
    for (String value : authHeaders.values()) {
      secrets.add(headerToken(value));
    }
    return secrets;
  }

  /** The credential part of a header value such as {@code Basic abc} or {@code OAuth a=b}. */
  private static String headerToken(String value) {
    if (value == null) {
      return "";
    }
    int space = value.indexOf(' ');
    return space < 0 ? value : value.substring(space + 1);
  }
}
