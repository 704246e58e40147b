package dev.opsflow.dashboard.internal;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Set;

/**
 * Who may do what. Reads are open to whoever reaches the address (127.0.0.1 by default); every
 * request that changes anything needs the token in {@code Authorization: Bearer <token>}. A header
 * no browser adds by itself is also what makes it CSRF-safe: a page of another site cannot send it
 * (this server answers no CORS preflight), and a cross-site request is refused outright by its
 * {@code Origin} or {@code Sec-Fetch-Site}. On a loopback address, the {@code Host} must be a
 * loopback name too, so a DNS-rebound name cannot read the API from a browser. Thread-safe.
 */
final class Guard {
  private static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "localhost", "[::1]");

  private final byte[] token;
  private final boolean loopback;
  private final int port;

  Guard(String token, InetAddress bind, int port) {
    this.token = token.getBytes(StandardCharsets.UTF_8);
    this.loopback = bind.isLoopbackAddress();
    this.port = port;
  }

  /** Checks the host and the origin of every request. */
  void checkOrigin(Request r) {
    if (loopback) {
      String host = r.header("Host");
      if (host == null || !LOOPBACK_HOSTS.contains(hostName(host))) {
        throw new HttpError(
            421,
            "MISDIRECTED",
            "this dashboard answers only to 127.0.0.1 or localhost (port " + port + ")");
      }
    }
    String site = r.header("Sec-Fetch-Site");
    if ("cross-site".equalsIgnoreCase(site)) {
      throw new HttpError(403, "CROSS_SITE", "cross-site requests are refused");
    }
    String origin = r.header("Origin");
    String host = r.header("Host");
    if (origin != null && !"null".equals(origin) && host != null) {
      String bare = origin.replaceFirst("^https?://", "");
      if (!bare.equalsIgnoreCase(host)) {
        throw new HttpError(403, "CROSS_SITE", "requests from another origin are refused");
      }
    }
  }

  /** Checks the credential of a request that changes something. */
  void checkCredential(Request r) {
    String auth = r.header("Authorization");
    if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw unauthorized(
          "this request changes something: send the dashboard's token as "
              + "'Authorization: Bearer <token>'");
    }
    byte[] given = auth.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(given, token)) {
      throw unauthorized("the token is not the dashboard's token");
    }
  }

  private static HttpError unauthorized(String message) {
    return new HttpError(401, "UNAUTHORIZED", message);
  }

  private static String hostName(String hostHeader) {
    String h = hostHeader.toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? h : h.substring(0, end + 1);
    }
    int colon = h.indexOf(':');
    return colon < 0 ? h : h.substring(0, colon);
  }
}
