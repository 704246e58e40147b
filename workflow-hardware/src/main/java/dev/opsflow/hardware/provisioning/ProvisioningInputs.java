package dev.opsflow.hardware.provisioning;

import dev.opsflow.workflow.Input;
import dev.opsflow.workflow.Workflow;
import java.util.List;
import java.util.regex.Pattern;

/** The declared inputs of the hardware workflows, checked before any step runs. */
final class ProvisioningInputs {
  private static final Pattern SYSTEM_ID = Pattern.compile("[a-z0-9]{1,32}");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_-]{1,256}");
  private static final Pattern HOST_PORT =
      Pattern.compile("([A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+\\])(:\\d{1,5})?");

  private ProvisioningInputs() {}

  /** MAAS, the machine, its device type and its BMC: every hardware workflow takes these. */
  static void machine(Workflow.Builder wf, DeviceCatalog catalog) {
    wf.input(
            Input.required(ProvisioningKeys.MAAS_URL)
                .check(
                    u -> u.startsWith("http://") || u.startsWith("https://"),
                    "an http(s) URL such as http://maas.example:5240/MAAS")
                .describedAs("MAAS's base URI"))
        .input(
            Input.secret(ProvisioningKeys.MAAS_API_KEY)
                .describedAs("the MAAS API key consumer:token:secret"))
        .input(
            Input.required(ProvisioningKeys.SYSTEM_ID)
                .check(
                    id -> SYSTEM_ID.matcher(id).matches(),
                    "a MAAS system id (lower-case letters and digits)")
                .describedAs("the machine's MAAS system id"))
        .input(
            Input.required(ProvisioningKeys.DEVICE_TYPE)
                .check(
                    t -> catalog.find(t).isPresent(),
                    "a device type of " + catalog.source() + ": one of " + catalog.names())
                .describedAs("the device type in the catalog"))
        .input(
            Input.required(ProvisioningKeys.BMC_ADDRESS)
                .check(a -> HOST_PORT.matcher(a).matches(), "a host or host:port")
                .describedAs("the BMC's current address (host or host:port of its HTTPS)"))
        .input(Input.required(ProvisioningKeys.BMC_USERNAME).describedAs("the BMC user"))
        .input(Input.secret(ProvisioningKeys.BMC_PASSWORD).describedAs("the BMC password"))
        .input(
            Input.optional(ProvisioningKeys.BMC_CA_CERT_FILE, null)
                .describedAs("a PEM file with the BMC's certificate or CA to trust"))
        .input(
            Input.optional(ProvisioningKeys.IPMI_PORT, 623)
                .check(p -> p >= 1 && p <= 65535, "a UDP port 1..65535")
                .describedAs("the BMC's IPMI port"));
  }

  /** The target BMC network, how to set it, and the tags. */
  static void bmcNetwork(Workflow.Builder wf) {
    wf.input(
            Input.optional(ProvisioningKeys.BMC_NETWORK_VIA, BmcNetworkMethod.REDFISH)
                .describedAs("configure the BMC network via REDFISH or IPMI"))
        .input(
            Input.optional(ProvisioningKeys.IPMI_CHANNEL, 1)
                .check(c -> c >= 1 && c <= 15, "an IPMI LAN channel 1..15")
                .describedAs("the IPMI LAN channel"))
        .input(
            Input.optional(ProvisioningKeys.TARGET_BMC_IP, null)
                .check(Ipv4::isHost, "a host IPv4 address such as 192.168.1.100")
                .describedAs("the BMC's static IPv4 address; without it the network is left as is"))
        .input(
            Input.optional(ProvisioningKeys.TARGET_BMC_NETMASK, "255.255.255.0")
                .check(Ipv4::isNetmask, "an IPv4 netmask such as 255.255.255.0")
                .describedAs("the BMC's netmask"))
        .input(
            Input.optional(ProvisioningKeys.TARGET_BMC_GATEWAY, null)
                .check(Ipv4::isHost, "a host IPv4 address such as 192.168.1.1")
                .describedAs("the BMC's default gateway"))
        .input(
            Input.optional(ProvisioningKeys.TAGS, List.of("provisioned"))
                .check(
                    tags ->
                        tags.stream()
                            .allMatch(
                                t -> ((Object) t) instanceof String s && TAG.matcher(s).matches()),
                    "MAAS tag names (letters, digits, _ -), comma-separated")
                .describedAs("the MAAS tags the machine gets at the end"))
        .input(
            Input.optional(ProvisioningKeys.BOOT_DEVICE, null)
                .describedAs(
                    "boot once from pxe, disk, cd or bios before commissioning (unset: as is)"))
        .input(
            Input.optional(ProvisioningKeys.RECOMMISSION, false)
                .describedAs("commission again a machine that is Ready already"));
  }

  /** Firmware-first mode and the kinds of firmware it updates. */
  static void firmware(Workflow.Builder wf, boolean firstByDefault) {
    wf.input(
            Input.optional(ProvisioningKeys.FIRMWARE_FIRST, firstByDefault)
                .describedAs(
                    "update the firmware (in priority order, images checked) before the BIOS"))
        .input(
            Input.optional(
                    ProvisioningKeys.FIRMWARE_UPDATES,
                    List.of("bmc", "bios", "nic", "storage", "other"))
                .check(
                    kinds ->
                        !kinds.isEmpty()
                            && kinds.stream()
                                .allMatch(
                                    k ->
                                        ((Object) k) instanceof String s
                                            && FirmwareTarget.KINDS.contains(s)),
                    "firmware kinds out of bmc, bios, nic, storage, other, comma-separated")
                .describedAs("the kinds of firmware firmware-first mode updates"));
  }

  /** The optional SSH check. */
  static void ssh(Workflow.Builder wf) {
    wf.input(
            Input.optional(ProvisioningKeys.SSH_USER, null)
                .describedAs("the SSH user for the check on the machine; none: no check"))
        .input(
            Input.optional(ProvisioningKeys.SSH_KEY_FILE, null).describedAs("the SSH private key"))
        .input(
            Input.secret(ProvisioningKeys.SSH_KEY_PASSPHRASE)
                .optional()
                .describedAs("the SSH key's passphrase"))
        .input(
            Input.secret(ProvisioningKeys.SSH_PASSWORD)
                .optional()
                .describedAs("the SSH password, when there is no key"))
        .input(
            Input.optional(ProvisioningKeys.SSH_HOST_KEY, null)
                .describedAs("the machine's SSH host key to pin; else ~/.ssh/known_hosts"))
        .input(
            Input.optional(ProvisioningKeys.SSH_PORT, 22)
                .check(p -> p >= 1 && p <= 65535, "a TCP port 1..65535")
                .describedAs("the SSH port"))
        .input(
            Input.optional(ProvisioningKeys.SSH_CHECK_COMMAND, SshCheckStep.DEFAULT_COMMAND)
                .describedAs("the command the SSH check runs; it must exit 0"));
  }
}
