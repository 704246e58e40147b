package dev.opsflow.hardware.ipmi;

/** Where a BMC's LAN address comes from ({@code lan set N ipsrc}). */
public enum IpSource {
  /** A statically configured address. */
  STATIC,
  /** An address obtained by the BMC through DHCP. */
  DHCP,
  /** An address loaded by the BIOS or system software. */
  BIOS,
  /** Anything ipmitool shows that is not one of the above ("Unspecified"). */
  UNSPECIFIED;

  static IpSource parse(String shown) {
    String s = shown.toLowerCase(java.util.Locale.ROOT);
    if (s.startsWith("static")) {
      return STATIC;
    }
    if (s.startsWith("dhcp")) {
      return DHCP;
    }
    if (s.startsWith("bios")) {
      return BIOS;
    }
    return UNSPECIFIED;
  }
}
