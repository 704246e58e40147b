package dev.opsflow.hardware.provisioning;

/**
 * A BMC's IPv4 configuration as read before a change, to restore it. Immutable.
 *
 * @param dhcp whether the address came from DHCP
 * @param address the static address, or null
 * @param netmask the netmask, or null
 * @param gateway the default gateway, or null
 */
public record BmcNetworkState(boolean dhcp, String address, String netmask, String gateway) {

  /**
   * Whether it is the static configuration {@code address}/{@code netmask} via {@code gateway}.
   *
   * @param wantedAddress the static address wanted
   * @param wantedNetmask the netmask wanted
   * @param wantedGateway the gateway wanted
   * @return true when the BMC is configured so
   */
  public boolean isStatic(String wantedAddress, String wantedNetmask, String wantedGateway) {
    return !dhcp
        && wantedAddress.equals(address)
        && wantedNetmask.equals(netmask)
        && wantedGateway.equals(gateway);
  }

  /** {@return {@code DHCP} or {@code static 10.0.0.5/255.255.255.0 via 10.0.0.1}} */
  public String describe() {
    return dhcp ? "DHCP" : "static " + address + "/" + netmask + " via " + gateway;
  }
}
