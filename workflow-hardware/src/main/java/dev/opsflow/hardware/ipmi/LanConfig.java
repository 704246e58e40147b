package dev.opsflow.hardware.ipmi;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A BMC LAN channel's configuration, parsed from {@code ipmitool lan print}. Immutable.
 *
 * @param channel the LAN channel
 * @param ipSource where the address comes from
 * @param ipAddress the BMC's IPv4 address
 * @param subnetMask its netmask
 * @param macAddress the BMC's MAC address
 * @param defaultGateway the default gateway's IPv4 address
 * @param vlanId the 802.1q VLAN id, or 0 when disabled
 * @param fields every "name : value" line as ipmitool printed it (continuation lines joined)
 */
public record LanConfig(
    int channel,
    IpSource ipSource,
    String ipAddress,
    String subnetMask,
    String macAddress,
    String defaultGateway,
    int vlanId,
    Map<String, String> fields) {

  /**
   * Copies the fields.
   *
   * @param channel the LAN channel
   * @param ipSource where the address comes from
   * @param ipAddress the BMC's IPv4 address
   * @param subnetMask its netmask
   * @param macAddress the BMC's MAC address
   * @param defaultGateway the default gateway's IPv4 address
   * @param vlanId the 802.1q VLAN id, or 0 when disabled
   * @param fields every "name : value" line as ipmitool printed it (continuation lines joined)
   */
  public LanConfig {
    fields = Map.copyOf(fields);
  }

  /**
   * Parses ipmitool's output.
   *
   * @throws IllegalArgumentException when the output has no "IP Address" line
   */
  static LanConfig parse(int channel, String output) {
    var fields = new LinkedHashMap<String, String>();
    String last = null;
    for (String line : output.split("\\R")) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      if (name.isEmpty() && last != null) {
        fields.put(last, (fields.get(last) + "; " + value).trim());
      } else if (!name.isEmpty()) {
        fields.put(name, value);
        last = name;
      }
    }
    if (!fields.containsKey("IP Address")) {
      throw new IllegalArgumentException("no 'IP Address' line in lan print output");
    }
    String vlan = fields.getOrDefault("802.1q VLAN ID", "Disabled");
    int vlanId = vlan.matches("\\d+") ? Integer.parseInt(vlan) : 0;
    return new LanConfig(
        channel,
        IpSource.parse(fields.getOrDefault("IP Address Source", "")),
        fields.get("IP Address"),
        fields.getOrDefault("Subnet Mask", ""),
        fields.getOrDefault("MAC Address", ""),
        fields.getOrDefault("Default Gateway IP", ""),
        vlanId,
        fields);
  }
}
