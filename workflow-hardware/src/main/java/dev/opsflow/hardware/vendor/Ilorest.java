package dev.opsflow.hardware.vendor;

import dev.opsflow.workflow.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * HPE {@code ilorest} (iLOrest 4.x+, in-band on the server): {@code ilorest get --select Bios.
 * --json} prints the Bios resource as JSON (the attributes under {@code Attributes} on iLO 5 and
 * later, flat on older ones); {@code ilorest set Name=Value ... --select Bios.} stages changes and
 * {@code ilorest commit} sends them to the pending settings, applied at the next reset; {@code
 * ilorest get PowerState --select ComputerSystem.} prints {@code PowerState=On}; {@code ilorest
 * reboot ForceRestart|On} resets; {@code ilorest flashfwpkg FILE} flashes a firmware package;
 * {@code ilorest serverinfo --firmware} lists the installed firmware as {@code <component> :
 * <version>} lines ({@code iLO 5 : 2.10 Jan 17 2020}, {@code System ROM : U30 v2.30 (02/11/2020)})
 * under a {@code Firmware:} heading between dashed rules.
 *
 * <p>The iLO's own network: {@code ilorest rawget /redfish/v1/Managers/1/EthernetInterfaces/1/}
 * prints the iLO's dedicated interface as JSON ({@code DHCPv4.DHCPEnabled}, {@code IPv4Addresses});
 * {@code ilorest ethernet --network_ipv4 <address>,<gateway>,<netmask>} makes it static (the
 * iLOrest {@code ethernet} command); {@code ilorest rawpatch FILE} with {@code {"<interface>":
 * {"DHCPv4": {"DHCPEnabled": true}}}} turns DHCP back on.
 */
public final class Ilorest implements VendorTool {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]+");

  @Override
  public String executable() {
    return "ilorest";
  }

  @Override
  public String readBiosCommand() {
    return "ilorest get --select Bios. --json";
  }

  @Override
  public Map<String, String> parseBios(String output) {
    JsonNode root;
    try {
      int start = output.indexOf('{');
      if (start < 0) {
        throw new IllegalArgumentException(
            "ilorest printed no JSON object: " + Racadm.abbreviate(output));
      }
      // ilorest may print a "Discovering data...Done" line before the JSON.
      root = Json.mapper().readTree(output.substring(start));
    } catch (JacksonException e) {
      throw new IllegalArgumentException(
          "ilorest printed JSON that cannot be read: " + e.getOriginalMessage());
    }
    JsonNode attributes = root.has("Attributes") ? root.get("Attributes") : root;
    var values = new LinkedHashMap<String, String>();
    for (var e : attributes.properties()) {
      if (e.getValue().isValueNode() && !e.getKey().startsWith("@")) {
        values.put(e.getKey(), e.getValue().asString());
      }
    }
    return values;
  }

  @Override
  public List<String> stageBiosCommands(String lastRead, Map<String, String> changes) {
    Map<String, String> current = parseBios(lastRead);
    var set = new StringBuilder("ilorest set");
    changes.forEach(
        (name, value) -> {
          if (!NAME.matcher(name).matches() || !current.containsKey(name)) {
            throw new IllegalArgumentException("ilorest shows no BIOS attribute '" + name + "'");
          }
          set.append(' ').append(VendorTool.quote(name + "=" + value));
        });
    set.append(" --select Bios.");
    return new ArrayList<>(List.of(set.toString(), "ilorest commit"));
  }

  @Override
  public void checkStaged(String command, String output) {
    if (output.toLowerCase(java.util.Locale.ROOT).contains("error")
        || command.endsWith("commit") && !output.contains("Committing changes")) {
      throw new IllegalArgumentException("ilorest refused: " + Racadm.abbreviate(output));
    }
  }

  @Override
  public Optional<String> powerStateCommand() {
    return Optional.of("ilorest get PowerState --select ComputerSystem.");
  }

  @Override
  public String parsePowerState(String output) {
    Matcher m = Pattern.compile("PowerState=(\\w+)").matcher(output);
    if (!m.find()) {
      throw new IllegalArgumentException(
          "ilorest printed no PowerState=: " + Racadm.abbreviate(output));
    }
    return m.group(1).equalsIgnoreCase("On") ? "On" : "Off";
  }

  @Override
  public Optional<String> resetCommand(String type) {
    return Optional.of("On".equals(type) ? "ilorest reboot On" : "ilorest reboot ForceRestart");
  }

  /** The iLO's dedicated management interface, as iLOrest's ethernet command manages it. */
  public static final String ILO_INTERFACE = "/redfish/v1/Managers/1/EthernetInterfaces/1/";

  @Override
  public Optional<String> readNetworkCommand() {
    return Optional.of("ilorest rawget " + ILO_INTERFACE);
  }

  @Override
  public Ipv4Settings parseNetwork(String output) {
    JsonNode root;
    try {
      int start = output.indexOf('{');
      if (start < 0) {
        throw new IllegalArgumentException(
            "ilorest printed no JSON object: " + Racadm.abbreviate(output));
      }
      root = Json.mapper().readTree(output.substring(start));
    } catch (JacksonException e) {
      throw new IllegalArgumentException(
          "ilorest printed JSON that cannot be read: " + e.getOriginalMessage());
    }
    JsonNode dhcp = root.path("DHCPv4").path("DHCPEnabled");
    if (!dhcp.isBoolean()) {
      throw new IllegalArgumentException(
          "ilorest's EthernetInterface has no DHCPv4.DHCPEnabled: " + Racadm.abbreviate(output));
    }
    if (dhcp.asBoolean()) {
      return Ipv4Settings.dhcpOn();
    }
    JsonNode a = root.path("IPv4StaticAddresses").path(0);
    if (a.isMissingNode() || a.path("Address").isNull()) {
      a = root.path("IPv4Addresses").path(0);
    }
    return Ipv4Settings.fixed(
        text(a.path("Address")), text(a.path("SubnetMask")), text(a.path("Gateway")));
  }

  private static String text(JsonNode node) {
    return node.isString() && !node.asString().isBlank() ? node.asString() : null;
  }

  @Override
  public List<String> writeNetworkCommands(Ipv4Settings settings) {
    if (settings.dhcp()) {
      String body = "{\"" + ILO_INTERFACE + "\": {\"DHCPv4\": {\"DHCPEnabled\": true}}}";
      return List.of(
          "f=$(mktemp) && printf '%s' "
              + VendorTool.quote(body)
              + " > \"$f\" && ilorest rawpatch \"$f\"; rc=$?; rm -f \"$f\"; exit $rc");
    }
    return List.of(
        "ilorest ethernet --network_ipv4 "
            + VendorTool.quote(
                settings.address()
                    + ","
                    + (settings.gateway() == null ? "0.0.0.0" : settings.gateway())
                    + ","
                    + settings.netmask()));
  }

  @Override
  public void checkNetworkWritten(String command, String output) {
    if (output.toLowerCase(java.util.Locale.ROOT).contains("error")) {
      throw new IllegalArgumentException("ilorest refused: " + Racadm.abbreviate(output));
    }
  }

  @Override
  public String firmwareUpdateCommand(String remotePath) {
    return "ilorest flashfwpkg " + VendorTool.quote(remotePath);
  }

  @Override
  public Optional<String> firmwareInventoryCommand() {
    return Optional.of("ilorest serverinfo --firmware");
  }

  /** The {@code <component> : <version>} lines; the version is all the text after the colon. */
  @Override
  public Map<String, String> parseFirmwareInventory(String output) {
    var versions = new LinkedHashMap<String, String>();
    Matcher m = Pattern.compile("(?m)^\\s*([^:\\s-][^:]*?)\\s+:\\s+(\\S.*?)\\s*$").matcher(output);
    while (m.find()) {
      versions.put(m.group(1), m.group(2));
    }
    if (versions.isEmpty()) {
      throw new IllegalArgumentException(
          "ilorest serverinfo --firmware printed no '<component> : <version>' line: "
              + Racadm.abbreviate(output));
    }
    return versions;
  }

  /** The tool; it keeps no state, so one instance serves every server. */
  public Ilorest() {}
}
