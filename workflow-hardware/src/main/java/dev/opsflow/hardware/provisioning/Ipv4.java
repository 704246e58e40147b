package dev.opsflow.hardware.provisioning;

import java.util.regex.Pattern;

/** Dotted-quad IPv4 addresses as numbers, for checks and ranges. */
final class Ipv4 {
  private static final Pattern QUAD =
      Pattern.compile(
          "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

  private Ipv4() {}

  /** Whether {@code s} is a dotted-quad IPv4 address without leading zeros. */
  static boolean isValid(String s) {
    return s != null && QUAD.matcher(s).matches();
  }

  /** Whether {@code s} is a contiguous netmask (255.255.255.0), not 0.0.0.0. */
  static boolean isNetmask(String s) {
    if (!isValid(s)) {
      return false;
    }
    long m = toLong(s);
    long inverted = ~m & 0xffffffffL;
    return m != 0 && (inverted & (inverted + 1)) == 0;
  }

  /** A usable host address: not 0.0.0.0, not broadcast, not loopback, multicast or reserved. */
  static boolean isHost(String s) {
    if (!isValid(s)) {
      return false;
    }
    long first = toLong(s) >>> 24;
    return first != 0 && first != 127 && first < 224;
  }

  static long toLong(String s) {
    String[] parts = s.split("\\.");
    long n = 0;
    for (String p : parts) {
      n = (n << 8) | Integer.parseInt(p);
    }
    return n;
  }

  static String format(long n) {
    return ((n >>> 24) & 0xff)
        + "."
        + ((n >>> 16) & 0xff)
        + "."
        + ((n >>> 8) & 0xff)
        + "."
        + (n & 0xff);
  }
}
