package dev.opsflow.hardware.provisioning;

import dev.opsflow.workflow.Key;
import dev.opsflow.workflow.Secret;
import java.nio.file.Path;
import java.util.List;

/**
 * The context keys of the provisioning workflows: their inputs (the names a caller or the registry
 * passes) and the state one step leaves for the next (prefixed {@code hw.}).
 */
public final class ProvisioningKeys {
  private ProvisioningKeys() {}

  /** MAAS's base URI, {@code http://maas.example:5240/MAAS}. */
  public static final Key<String> MAAS_URL = Key.of("maasUrl", String.class);

  /** The MAAS API key {@code consumer:token:secret} (secret). */
  public static final Key<Secret> MAAS_API_KEY = Key.of("maasApiKey", Secret.class);

  /** The machine's MAAS system id. */
  public static final Key<String> SYSTEM_ID = Key.of("systemId", String.class);

  /** The device type's name in the catalog ({@code a1.c5.large}). */
  public static final Key<String> DEVICE_TYPE = Key.of("deviceType", String.class);

  /** The BMC's current address, {@code host} or {@code host:port} (the port of its HTTPS). */
  public static final Key<String> BMC_ADDRESS = Key.of("bmcAddress", String.class);

  /** The BMC user, for Redfish and IPMI. */
  public static final Key<String> BMC_USERNAME = Key.of("bmcUsername", String.class);

  /** The BMC password (secret). */
  public static final Key<Secret> BMC_PASSWORD = Key.of("bmcPassword", Secret.class);

  /** A PEM file with the BMC's CA or self-signed certificate to trust for Redfish. */
  public static final Key<Path> BMC_CA_CERT_FILE = Key.of("bmcCaCertFile", Path.class);

  /** The BMC's IPMI (RMCP+) UDP port, 623 by default. */
  public static final Key<Integer> IPMI_PORT = Key.of("ipmiPort", Integer.class);

  /** The IPMI LAN channel to configure, 1 by default. */
  public static final Key<Integer> IPMI_CHANNEL = Key.of("ipmiChannel", Integer.class);

  /**
   * The device the server boots from once before commissioning ({@code pxe}, {@code disk}, {@code
   * cd}, {@code bios}); without it the boot order is left as it is.
   */
  public static final Key<BootTarget> BOOT_DEVICE = Key.of("bootDevice", BootTarget.class);

  /** How the BMC's network is configured: Redfish (default) or IPMI. */
  public static final Key<BmcNetworkMethod> BMC_NETWORK_VIA =
      Key.of("bmcNetworkVia", BmcNetworkMethod.class);

  /** The static IPv4 address the BMC gets; without it the BMC's network is left as it is. */
  public static final Key<String> TARGET_BMC_IP = Key.of("targetBmcIp", String.class);

  /** The BMC's netmask, 255.255.255.0 by default. */
  public static final Key<String> TARGET_BMC_NETMASK = Key.of("targetBmcNetmask", String.class);

  /** The BMC's default gateway (required with {@link #TARGET_BMC_IP}). */
  public static final Key<String> TARGET_BMC_GATEWAY = Key.of("targetBmcGateway", String.class);

  /** The MAAS tags the machine gets at the end. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static final Key<List<String>> TAGS = (Key) Key.of("tags", List.class);

  /** Commission again even when the machine is Ready already. */
  public static final Key<Boolean> RECOMMISSION = Key.of("recommission", Boolean.class);

  /** The SSH user for the check on the machine; without it there is no SSH check. */
  public static final Key<String> SSH_USER = Key.of("sshUser", String.class);

  /** The SSH private key file (OpenSSH or PEM). */
  public static final Key<Path> SSH_KEY_FILE = Key.of("sshKeyFile", Path.class);

  /** The SSH private key's passphrase (secret). */
  public static final Key<Secret> SSH_KEY_PASSPHRASE = Key.of("sshKeyPassphrase", Secret.class);

  /** The SSH password, when there is no key (secret). */
  public static final Key<Secret> SSH_PASSWORD = Key.of("sshPassword", Secret.class);

  /** The machine's SSH host key to pin ({@code ssh-ed25519 AAAA...}); else known_hosts. */
  public static final Key<String> SSH_HOST_KEY = Key.of("sshHostKey", String.class);

  /** The SSH port, 22 by default. */
  public static final Key<Integer> SSH_PORT = Key.of("sshPort", Integer.class);

  /** The command the SSH check runs; it must exit 0. */
  public static final Key<String> SSH_CHECK_COMMAND = Key.of("sshCheckCommand", String.class);

  /** Firmware-first mode: update the firmware before the BIOS (the seed's firmware_first). */
  public static final Key<Boolean> FIRMWARE_FIRST = Key.of("firmwareFirst", Boolean.class);

  /** Which kinds of firmware to update in firmware-first mode: bmc, bios, nic, storage, other. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static final Key<List<String>> FIRMWARE_UPDATES =
      (Key) Key.of("firmwareUpdates", List.class);

  // State between steps.

  /** Whether this run started commissioning (else the machine was Ready already). */
  public static final Key<Boolean> COMMISSION_STARTED =
      Key.of("hw.commissionStarted", Boolean.class);

  /** The machine's host name, as MAAS knows it. */
  public static final Key<String> HOSTNAME = Key.of("hw.hostname", String.class);

  /** The machine's IP addresses, from MAAS. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static final Key<List<String>> MACHINE_IPS = (Key) Key.of("hw.machineIps", List.class);

  /** The Redfish system the BMC manages. */
  public static final Key<String> REDFISH_SYSTEM = Key.of("hw.redfishSystem", String.class);

  /** The BIOS change the device type asks for. */
  public static final Key<BiosChange> BIOS_CHANGE = Key.of("hw.biosChange", BiosChange.class);

  /** Whether this run PATCHed the BIOS settings (so they are awaited and may be restored). */
  public static final Key<Boolean> BIOS_APPLIED = Key.of("hw.biosApplied", Boolean.class);

  /** Whether the reset that applies the BIOS settings was requested. */
  public static final Key<Boolean> BIOS_RESET = Key.of("hw.biosReset", Boolean.class);

  /** The BMC's network before this run changed it. */
  public static final Key<BmcNetworkState> BMC_NETWORK_BEFORE =
      Key.of("hw.bmcNetworkBefore", BmcNetworkState.class);

  /**
   * Where the BMC answers after {@code configure-bmc-network} moved it ({@code targetBmcIp} with
   * the port of {@code bmcAddress}); later steps and that step's compensation talk to it.
   */
  public static final Key<String> BMC_ADDRESS_NOW = Key.of("hw.bmcAddressNow", String.class);

  /** The tags this run added (removed again on rollback). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static final Key<List<String>> TAGS_ADDED = (Key) Key.of("hw.tagsAdded", List.class);

  /** The firmware updates to make. */
  public static final Key<FirmwarePlan> FIRMWARE_PLAN =
      Key.of("hw.firmwarePlan", FirmwarePlan.class);

  /** The firmware update in progress: its component and task monitor. */
  public static final Key<String> FIRMWARE_MONITOR = Key.of("hw.firmwareMonitor", String.class);

  /** How many firmware updates completed in this run. */
  public static final Key<Integer> FIRMWARE_DONE = Key.of("hw.firmwareDone", Integer.class);

  /** Whether the reset after the firmware updates was requested. */
  public static final Key<Boolean> FIRMWARE_RESET = Key.of("hw.firmwareReset", Boolean.class);
}
