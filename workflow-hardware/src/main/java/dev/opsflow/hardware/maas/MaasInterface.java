package dev.opsflow.hardware.maas;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A machine's network interface ({@code interface_set}, {@code boot_interface}, or {@code GET
 * nodes/{system_id}/interfaces/}). Immutable.
 *
 * @param id MAAS's id of the interface
 * @param name its name (eth0, bond0...)
 * @param type physical, bond, vlan, bridge
 * @param macAddress its MAC address
 * @param enabled whether it is enabled
 * @param links its IP configuration
 */
public record MaasInterface(
    int id,
    String name,
    String type,
    @JsonProperty("mac_address") String macAddress,
    boolean enabled,
    List<Link> links) {

  /**
   * Replaces absent links with an empty list.
   *
   * @param id MAAS's id of the interface
   * @param name its name (eth0, bond0...)
   * @param type physical, bond, vlan, bridge
   * @param macAddress its MAC address
   * @param enabled whether it is enabled
   * @param links its IP configuration
   */
  public MaasInterface {
    links = links == null ? List.of() : List.copyOf(links);
  }

  /**
   * One IP configuration of an interface.
   *
   * @param id the link's id
   * @param mode auto, dhcp, static or link_up
   * @param ipAddress the address, when one is assigned
   * @param subnet the subnet, when linked to one
   */
  public record Link(
      int id, String mode, @JsonProperty("ip_address") String ipAddress, Subnet subnet) {}

  /**
   * A subnet reference.
   *
   * @param name its name
   * @param cidr its CIDR
   */
  public record Subnet(String name, String cidr) {}
}
