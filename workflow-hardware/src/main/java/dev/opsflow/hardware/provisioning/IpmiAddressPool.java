package dev.opsflow.hardware.provisioning;

import dev.opsflow.workflow.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The BMC addresses of a batch, from a range: {@code 192.168.1.100-110} (the last octet), {@code
 * 192.168.1.100-192.168.1.110}, a CIDR block {@code 192.168.1.96/28} (its host addresses, without
 * the network and broadcast addresses), or one address. Immutable.
 */
public final class IpmiAddressPool {
  private static final Pattern SHORT_RANGE =
      Pattern.compile("(\\d+\\.\\d+\\.\\d+\\.)(\\d+)-(\\d+)");
  private static final int MAX_SIZE = 65_536;

  private final String range;
  private final List<String> addresses;

  private IpmiAddressPool(String range, List<String> addresses) {
    this.range = range;
    this.addresses = List.copyOf(addresses);
  }

  /**
   * Parses a range.
   *
   * @param range the range, such as {@code 10.0.0.10-10.0.0.50}
   * @return the pool
   * @throws ValidationException naming the range and what is expected
   */
  public static IpmiAddressPool parse(String range) {
    if (range == null || range.isBlank()) {
      throw bad(range, "is empty");
    }
    String r = range.trim();
    long first;
    long last;
    var shortForm = SHORT_RANGE.matcher(r);
    if (r.contains("/")) {
      String[] parts = r.split("/", 2);
      if (!Ipv4.isValid(parts[0]) || !parts[1].matches("\\d{1,2}")) {
        throw bad(r, "is not a CIDR block such as 192.168.1.96/28");
      }
      int prefix = Integer.parseInt(parts[1]);
      if (prefix < 16 || prefix > 32) {
        throw bad(r, "has prefix /" + prefix + "; expected /16 to /32");
      }
      long mask = prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
      long network = Ipv4.toLong(parts[0]) & mask;
      long broadcast = network | (~mask & 0xffffffffL);
      first = prefix >= 31 ? network : network + 1;
      last = prefix >= 31 ? broadcast : broadcast - 1;
    } else if (shortForm.matches() && Ipv4.isValid(shortForm.group(1) + shortForm.group(2))) {
      first = Ipv4.toLong(shortForm.group(1) + shortForm.group(2));
      String end = shortForm.group(1) + shortForm.group(3);
      if (!Ipv4.isValid(end)) {
        throw bad(r, "ends at ." + shortForm.group(3) + ", which is not an octet 0..255");
      }
      last = Ipv4.toLong(end);
    } else if (r.contains("-")) {
      String[] parts = r.split("-", 2);
      if (!Ipv4.isValid(parts[0].trim()) || !Ipv4.isValid(parts[1].trim())) {
        throw bad(
            r, "is not an IPv4 range such as 192.168.1.100-110 or 192.168.1.100-192.168.1.110");
      }
      first = Ipv4.toLong(parts[0].trim());
      last = Ipv4.toLong(parts[1].trim());
    } else if (Ipv4.isValid(r)) {
      first = Ipv4.toLong(r);
      last = first;
    } else {
      throw bad(r, "is not an IPv4 range such as 192.168.1.100-110 or 192.168.1.96/28");
    }
    if (last < first) {
      throw bad(r, "ends before it starts");
    }
    if (last - first + 1 > MAX_SIZE) {
      throw bad(r, "has " + (last - first + 1) + " addresses; expected at most " + MAX_SIZE);
    }
    var addresses = new ArrayList<String>();
    for (long n = first; n <= last; n++) {
      String a = Ipv4.format(n);
      if (!Ipv4.isHost(a)) {
        throw bad(r, "contains " + a + ", which is not a usable host address");
      }
      addresses.add(a);
    }
    return new IpmiAddressPool(r, addresses);
  }

  private static ValidationException bad(String range, String problem) {
    return new ValidationException("ipmiRange '" + range + "' " + problem);
  }

  /** {@return the range as given} */
  public String range() {
    return range;
  }

  /** {@return every address of the range, in order} */
  public List<String> addresses() {
    return addresses;
  }

  /** {@return how many addresses the range has} */
  public int size() {
    return addresses.size();
  }
}
