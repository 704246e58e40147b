package dev.opsflow.hardware.provisioning;

/** How {@link ConfigureBmcNetworkStep} sets the BMC's static address. */
public enum BmcNetworkMethod {
  /**
   * A PATCH of the manager's EthernetInterface ({@code DHCPv4.DHCPEnabled=false}, {@code
   * IPv4StaticAddresses}) with If-Match: one request, no tool on the host. The default.
   */
  REDFISH,
  /** {@code ipmitool lan set <channel> ipsrc static / ipaddr / netmask / defgw ipaddr}. */
  IPMI
}
