package dev.opsflow.hardware.vendor;

/**
 * A BMC's IPv4 configuration as a vendor tool reads or sets it. Immutable.
 *
 * @param dhcp whether the BMC takes its address from DHCP
 * @param address the static address, or null (DHCP)
 * @param netmask the netmask, or null (DHCP)
 * @param gateway the default gateway, or null (DHCP, or none)
 */
public record Ipv4Settings(boolean dhcp, String address, String netmask, String gateway) {

  /**
   * DHCP.
   *
   * @return the settings of a BMC on DHCP
   */
  public static Ipv4Settings dhcpOn() {
    return new Ipv4Settings(true, null, null, null);
  }

  /**
   * A static configuration.
   *
   * @param address the static address, or null (DHCP)
   * @param netmask the netmask, or null (DHCP)
   * @param gateway the default gateway, or null (DHCP, or none)
   * @return the settings
   */
  public static Ipv4Settings fixed(String address, String netmask, String gateway) {
    return new Ipv4Settings(false, address, netmask, gateway);
  }
}
