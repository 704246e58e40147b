package dev.opsflow.hardware.maas;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Optional;

/**
 * A MAAS machine as {@code GET machines/{system_id}/} returns it (the fields provisioning uses;
 * others are ignored). Compare {@link #status()} (the integer); show {@link #statusName()}.
 * Immutable.
 *
 * @param systemId MAAS's id of the machine
 * @param hostname its host name
 * @param fqdn its fully qualified name
 * @param status the status code; see {@link MaasStatus}
 * @param statusName the status as MAAS shows it
 * @param statusMessage the latest event, which explains a failure
 * @param powerState on, off, unknown or error
 * @param powerType the power driver (ipmi, redfish, manual...)
 * @param ipAddresses the machine's addresses
 * @param tagNames its tags
 * @param owner the user it is allocated to, or null
 * @param osystem the deployed or default OS
 * @param distroSeries the deployed or default release
 * @param architecture the architecture, may be null
 * @param memory memory in MiB
 * @param cpuCount number of CPUs
 * @param interfaces its network interfaces
 * @param bootInterface the interface it PXE-boots from
 * @param zone its zone
 * @param pool its resource pool
 * @param resourceUri the API path of the machine
 */
public record MaasMachine(
    @JsonProperty("system_id") String systemId,
    String hostname,
    String fqdn,
    int status,
    @JsonProperty("status_name") String statusName,
    @JsonProperty("status_message") String statusMessage,
    @JsonProperty("power_state") String powerState,
    @JsonProperty("power_type") String powerType,
    @JsonProperty("ip_addresses") List<String> ipAddresses,
    @JsonProperty("tag_names") List<String> tagNames,
    String owner,
    String osystem,
    @JsonProperty("distro_series") String distroSeries,
    String architecture,
    long memory,
    @JsonProperty("cpu_count") int cpuCount,
    @JsonProperty("interface_set") List<MaasInterface> interfaces,
    @JsonProperty("boot_interface") MaasInterface bootInterface,
    Named zone,
    Named pool,
    @JsonProperty("resource_uri") String resourceUri) {

  /**
   * Replaces absent lists with empty ones.
   *
   * @param systemId MAAS's id of the machine
   * @param hostname its host name
   * @param fqdn its fully qualified name
   * @param status the status code; see {@link MaasStatus}
   * @param statusName the status as MAAS shows it
   * @param statusMessage the latest event, which explains a failure
   * @param powerState on, off, unknown or error
   * @param powerType the power driver (ipmi, redfish, manual...)
   * @param ipAddresses the machine's addresses
   * @param tagNames its tags
   * @param owner the user it is allocated to, or null
   * @param osystem the deployed or default OS
   * @param distroSeries the deployed or default release
   * @param architecture the architecture, may be null
   * @param memory memory in MiB
   * @param cpuCount number of CPUs
   * @param interfaces its network interfaces
   * @param bootInterface the interface it PXE-boots from
   * @param zone its zone
   * @param pool its resource pool
   * @param resourceUri the API path of the machine
   */
  public MaasMachine {
    ipAddresses = ipAddresses == null ? List.of() : List.copyOf(ipAddresses);
    tagNames = tagNames == null ? List.of() : List.copyOf(tagNames);
    interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
  }

  /**
   * A zone or pool reference. @param name its name
   *
   * @param name its name
   */
  public record Named(String name) {}

  /** {@return the status as an enum value, empty for a code this version does not know} */
  public Optional<MaasStatus> statusValue() {
    return MaasStatus.fromCode(status);
  }

  /**
   * Whether the machine is in {@code expected}.
   *
   * @param expected a status
   * @return true when the machine's status is that one
   */
  public boolean is(MaasStatus expected) {
    return status == expected.code();
  }

  /** {@return {@code 'Failed commissioning' (status 2): <status_message>}, for messages} */
  public String describeStatus() {
    String name =
        statusName != null
            ? statusName
            : statusValue().map(MaasStatus::displayName).orElse("unknown");
    return "'"
        + name
        + "' (status "
        + status
        + ")"
        + (statusMessage == null || statusMessage.isBlank() ? "" : ": " + statusMessage);
  }
}
