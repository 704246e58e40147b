package dev.opsflow.redis.cloud.testing;

import java.util.List;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/** The checks the simulated API applies, with the API's own error codes. */
final class Validation {
  /** Letters, digits and hyphens, starting with a letter and ending with a letter or digit. */
  static final Pattern NAME = Pattern.compile("[A-Za-z]([A-Za-z0-9-]{0,38}[A-Za-z0-9])?");

  static final List<String> PERSISTENCE =
      List.of(
          "none",
          "aof-every-1-second",
          "aof-every-write",
          "snapshot-every-1-hour",
          "snapshot-every-6-hours",
          "snapshot-every-12-hours");

  private Validation() {}

  /** Why a field of {@code node} breaks the schema, or null. */
  static String enumProblem(JsonNode node, String field, List<String> allowed) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    return allowed.contains(v.asString())
        ? null
        : field + " must be one of " + allowed + ", was '" + v.asString() + "'";
  }

  /** Why a field of {@code node} is not a boolean (when present), or null. */
  static String booleanProblem(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() || v.isBoolean() ? null : field + " must be a boolean, was " + v;
  }

  /** Whether {@code cidr} is an IPv4 /24 with its host bits clear. */
  static boolean isSlash24(String cidr) {
    long[] parsed = parse(cidr);
    return parsed != null && parsed[1] == 24 && (parsed[0] & 0xFF) == 0;
  }

  /** Whether {@code cidr} is a valid IPv4 CIDR. */
  static boolean isCidr(String cidr) {
    return parse(cidr) != null;
  }

  /** Whether two IPv4 CIDRs overlap. */
  static boolean overlap(String a, String b) {
    long[] x = parse(a);
    long[] y = parse(b);
    if (x == null || y == null) {
      return false;
    }
    long bits = Math.min(x[1], y[1]);
    long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
    return (x[0] & mask) == (y[0] & mask);
  }

  private static long[] parse(String cidr) {
    if (cidr == null) {
      return null;
    }
    String[] parts = cidr.split("/");
    if (parts.length != 2) {
      return null;
    }
    String[] octets = parts[0].split("\\.");
    if (octets.length != 4) {
      return null;
    }
    long address = 0;
    try {
      for (String o : octets) {
        int v = Integer.parseInt(o);
        if (v < 0 || v > 255) {
          return null;
        }
        address = (address << 8) | v;
      }
      int bits = Integer.parseInt(parts[1]);
      if (bits < 0 || bits > 32) {
        return null;
      }
      return new long[] {address, bits};
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
