package dev.opsflow.examples;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks of the values a person gives on the command line, by what an input's name says it is,
 * before anything runs: a port is 1 to 65535, a URL is http(s) with a host and such a port, a
 * certificate file is readable PEM. The workflows check their own rules when the run starts (exit
 * status 6); these are the command's (exit status 2).
 */
final class InputChecks {
  private InputChecks() {}

  /**
   * Every problem of {@code given}, one line each, naming the input; secrets ({@code secrets}) are
   * not checked here (their values are never shown).
   */
  static List<String> problems(Map<String, String> given, Set<String> secrets) {
    var problems = new ArrayList<String>();
    for (var e : given.entrySet()) {
      String name = e.getKey();
      if (secrets.contains(name)) {
        continue;
      }
      String problem = check(name, e.getValue());
      if (problem != null) {
        problems.add("input '" + name + "': " + problem);
      }
    }
    return problems;
  }

  private static String check(String name, String value) {
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    if (lower.equals("port") || name.endsWith("Port")) {
      return port(value);
    }
    if (lower.equals("url") || name.endsWith("Url") || name.endsWith("Uri")) {
      return url(value);
    }
    if (name.endsWith("CertFile") || name.endsWith("CaFile") || lower.equals("cafile")) {
      return pem(value);
    }
    if (name.endsWith("Address") && value.indexOf(':') == value.lastIndexOf(':')) {
      int colon = value.indexOf(':');
      if (colon >= 0) {
        String p = port(value.substring(colon + 1));
        return p == null ? null : "'" + Inputs.shown(value) + "': the port " + p;
      }
    }
    return null;
  }

  private static String port(String value) {
    try {
      int p = Integer.parseInt(value.trim());
      if (p >= 1 && p <= 65535) {
        return null;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    return "'" + Inputs.shown(value) + "' is not a port: expected a whole number from 1 to 65535";
  }

  private static String url(String value) {
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      return "'" + Inputs.shown(value) + "' is not a URL (" + e.getReason() + ")";
    }
    String expected = ": expected http(s)://HOST[:PORT][/PATH], a port from 1 to 65535";
    if (uri.getScheme() == null
        || !(uri.getScheme().equalsIgnoreCase("https") || uri.getScheme().equalsIgnoreCase("http"))
        || uri.getHost() == null) {
      return "'" + Inputs.shown(value) + "' is not an http(s) URL with a host" + expected;
    }
    if (uri.getPort() == 0 || uri.getPort() > 65535 || (uri.getPort() < 0 && hasPort(uri))) {
      return "'" + Inputs.shown(value) + "' has a port out of range" + expected;
    }
    return null;
  }

  /** Whether the authority names a port the URI could not read as one. */
  private static boolean hasPort(URI uri) {
    String authority = uri.getRawAuthority();
    return authority != null && authority.matches(".*:[^\\]]*$") && !authority.endsWith(":");
  }

  private static String pem(String value) {
    Path file = Path.of(value);
    if (!Files.isRegularFile(file)) {
      return "'" + Inputs.shown(value) + "' is not a file: expected a readable PEM certificate";
    }
    try {
      String text = Files.readString(file, StandardCharsets.ISO_8859_1);
      if (!text.contains("-----BEGIN CERTIFICATE-----")) {
        return "'"
            + Inputs.shown(value)
            + "' holds no PEM certificate (no '-----BEGIN CERTIFICATE-----' line)";
      }
      return null;
    } catch (IOException e) {
      return "'" + Inputs.shown(value) + "' cannot be read (" + e.getMessage() + ")";
    }
  }
}
