package dev.opsflow.redis.cloud.workflows;

/** IPv4 CIDR checks for the workflows' inputs. */
final class Cidrs {
  private Cidrs() {}

  /** Whether {@code cidr} is {@code a.b.c.0/24}. */
  static boolean isSlash24(String cidr) {
    long[] p = parse(cidr);
    return p != null && p[1] == 24 && (p[0] & 0xFF) == 0;
  }

  /** Whether {@code cidr} is any valid IPv4 CIDR. */
  static boolean isCidr(String cidr) {
    return parse(cidr) != null;
  }

  /** Whether two CIDRs share an address. */
  static boolean overlap(String a, String b) {
    long[] x = parse(a);
    long[] y = parse(b);
    long bits = Math.min(x[1], y[1]);
    long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
    return (x[0] & mask) == (y[0] & mask);
  }

  private static long[] parse(String cidr) {
    if (cidr == null || !cidr.matches("\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}")) {
      return null;
    }
    String[] parts = cidr.split("/");
    long address = 0;
    for (String o : parts[0].split("\\.")) {
      int v = Integer.parseInt(o);
      if (v > 255) {
        return null;
      }
      address = (address << 8) | v;
    }
    int bits = Integer.parseInt(parts[1]);
    return bits > 32 ? null : new long[] {address, bits};
  }
}
