package dev.opsflow.hardware.redfish;

import java.util.List;

/**
 * A manager's (BMC's) EthernetInterface. Immutable.
 *
 * @param uri its {@code @odata.id}
 * @param id its Id
 * @param macAddress its MAC address
 * @param hostName its host name
 * @param dhcpEnabled whether DHCPv4 is on
 * @param ipv4Addresses the addresses in use
 * @param ipv4StaticAddresses the configured static addresses
 */
public record BmcNetworkInterface(
    String uri,
    String id,
    String macAddress,
    String hostName,
    boolean dhcpEnabled,
    List<Ipv4Address> ipv4Addresses,
    List<Ipv4Address> ipv4StaticAddresses) {

  /**
   * Copies the lists.
   *
   * @param uri its {@code @odata.id}
   * @param id its Id
   * @param macAddress its MAC address
   * @param hostName its host name
   * @param dhcpEnabled whether DHCPv4 is on
   * @param ipv4Addresses the addresses in use
   * @param ipv4StaticAddresses the configured static addresses
   */
  public BmcNetworkInterface {
    ipv4Addresses = List.copyOf(ipv4Addresses);
    ipv4StaticAddresses = List.copyOf(ipv4StaticAddresses);
  }

  /**
   * One IPv4 address.
   *
   * @param address the address
   * @param subnetMask its netmask
   * @param gateway the gateway
   * @param origin Static, DHCP, BOOTP or IPv4LinkLocal (null for static configuration entries)
   */
  public record Ipv4Address(String address, String subnetMask, String gateway, String origin) {}
}
