package dev.opsflow.hardware.vendor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dell {@code racadm} (iDRAC 7/8/9 RACADM CLI): {@code racadm get BIOS.<group>} prints {@code
 * [Key=BIOS.Setup.1-1#<group>]} then one {@code Name=Value} a line ({@code #Name=Value} when read
 * only, {@code Name=Value (Pending Value=X)} with a staged change); {@code racadm set
 * BIOS.<group>.<name> <value>} answers {@code Object value modified successfully}; {@code racadm
 * jobqueue create BIOS.Setup.1-1} answers {@code RAC1024: Successfully scheduled a job.} and {@code
 * Commit JID = JID_...}: the job runs at the next reboot ({@code racadm serveraction powercycle}).
 *
 * <p>The iDRAC's own network: {@code racadm get iDRAC.IPv4} prints {@code
 * [Key=iDRAC.Embedded.1#IPv4.1]} then {@code Address=}, {@code DHCPEnable=Enabled|Disabled}, {@code
 * Gateway=}, {@code Netmask=}...; {@code racadm set iDRAC.IPv4.<name> <value>} changes one at once
 * (no job), answering {@code Object value modified successfully}. The next boot: {@code racadm set
 * iDRAC.ServerBoot.FirstBootDevice PXE} and {@code racadm set iDRAC.ServerBoot.BootOnce Enabled}
 * (iDRAC attribute guide), answering the same.
 */
public final class Racadm implements VendorTool {
  /** The BIOS groups read: the ones server provisioning templates set. */
  public static final List<String> GROUPS =
      List.of(
          "BiosBootSettings",
          "BootSettings",
          "MemSettings",
          "ProcSettings",
          "SysProfileSettings",
          "IntegratedDevices",
          "MiscSettings",
          "SysSecurity");

  private static final Pattern KEY = Pattern.compile("\\[Key=BIOS\\.Setup\\.1-1#([^\\]]+)\\]");
  private static final Pattern LINE =
      Pattern.compile("#?([A-Za-z0-9_.]+)=(.*?)(\\s*\\(Pending Value=(.*)\\))?");

  @Override
  public String executable() {
    return "racadm";
  }

  @Override
  public String readBiosCommand() {
    var parts = new ArrayList<String>();
    GROUPS.forEach(g -> parts.add("racadm get BIOS." + g));
    // A group a model lacks prints an error; the others still print their sections.
    return String.join("; ", parts) + "; true";
  }

  @Override
  public Map<String, String> parseBios(String output) {
    var values = new LinkedHashMap<String, String>();
    groups(output).forEach((name, group) -> values.put(name, group[1]));
    return values;
  }

  /** Each attribute's group and current value ({@code [group, value]}). */
  static Map<String, String[]> groups(String output) {
    var out = new LinkedHashMap<String, String[]>();
    String group = null;
    boolean sections = false;
    for (String raw : output.split("\\R")) {
      String line = raw.strip();
      Matcher key = KEY.matcher(line);
      if (key.matches()) {
        group = key.group(1);
        sections = true;
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (group != null && m.matches()) {
        out.put(m.group(1), new String[] {group, m.group(2).strip()});
      }
    }
    if (!sections) {
      throw new IllegalArgumentException(
          "racadm printed no [Key=BIOS.Setup.1-1#...] section: " + abbreviate(output));
    }
    return out;
  }

  @Override
  public List<String> stageBiosCommands(String lastRead, Map<String, String> changes) {
    Map<String, String[]> groups = groups(lastRead);
    var commands = new ArrayList<String>();
    changes.forEach(
        (name, value) -> {
          String[] g = groups.get(name);
          if (g == null) {
            throw new IllegalArgumentException(
                "racadm shows no BIOS attribute '" + name + "' in groups " + GROUPS);
          }
          commands.add(
              "racadm set "
                  + VendorTool.quote("BIOS." + g[0] + "." + name)
                  + " "
                  + VendorTool.quote(value));
        });
    commands.add("racadm jobqueue create BIOS.Setup.1-1");
    return commands;
  }

  @Override
  public void checkStaged(String command, String output) {
    boolean ok =
        command.contains("jobqueue create")
            ? output.contains("RAC1024") || output.contains("Successfully scheduled a job")
            : output.contains("Object value modified successfully");
    if (!ok) {
      throw new IllegalArgumentException("racadm refused: " + abbreviate(output));
    }
  }

  /**
   * The job id in the answer to {@code jobqueue create} ({@code JID_...}), if any.
   *
   * @param output the answer to {@code jobqueue create}
   * @return the job id, or empty
   */
  public static Optional<String> jobId(String output) {
    Matcher m = Pattern.compile("Commit JID = (JID_[A-Za-z0-9]+)").matcher(output);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  @Override
  public Optional<String> powerStateCommand() {
    return Optional.of("racadm serveraction powerstatus");
  }

  @Override
  public String parsePowerState(String output) {
    Matcher m =
        Pattern.compile("Server power status:\\s*(ON|OFF)", Pattern.CASE_INSENSITIVE)
            .matcher(output);
    if (!m.find()) {
      throw new IllegalArgumentException(
          "racadm printed no 'Server power status': " + abbreviate(output));
    }
    return m.group(1).equalsIgnoreCase("ON") ? "On" : "Off";
  }

  @Override
  public Optional<String> resetCommand(String type) {
    return Optional.of(
        "On".equals(type) ? "racadm serveraction powerup" : "racadm serveraction powercycle");
  }

  @Override
  public Optional<String> readNetworkCommand() {
    return Optional.of("racadm get iDRAC.IPv4");
  }

  @Override
  public Ipv4Settings parseNetwork(String output) {
    var values = new LinkedHashMap<String, String>();
    boolean section = false;
    for (String raw : output.split("\\R")) {
      String line = raw.strip();
      if (line.matches("\\[Key=iDRAC\\.Embedded\\.\\d+#IPv4\\.\\d+\\]")) {
        section = true;
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (section && m.matches()) {
        values.put(m.group(1), m.group(2).strip());
      }
    }
    if (!section || !values.containsKey("DHCPEnable")) {
      throw new IllegalArgumentException(
          "racadm printed no [Key=iDRAC.Embedded.1#IPv4.1] section with DHCPEnable: "
              + abbreviate(output));
    }
    String dhcp = values.get("DHCPEnable");
    if (dhcp.equalsIgnoreCase("Enabled") || dhcp.equals("1")) {
      return Ipv4Settings.dhcpOn();
    }
    return Ipv4Settings.fixed(
        blankToNull(values.get("Address")),
        blankToNull(values.get("Netmask")),
        blankToNull(values.get("Gateway")));
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  @Override
  public List<String> writeNetworkCommands(Ipv4Settings settings) {
    if (settings.dhcp()) {
      return List.of("racadm set iDRAC.IPv4.DHCPEnable Enabled");
    }
    var commands = new ArrayList<String>();
    commands.add("racadm set iDRAC.IPv4.DHCPEnable Disabled");
    commands.add("racadm set iDRAC.IPv4.Netmask " + VendorTool.quote(settings.netmask()));
    if (settings.gateway() != null) {
      commands.add("racadm set iDRAC.IPv4.Gateway " + VendorTool.quote(settings.gateway()));
    }
    // The address last: the iDRAC moves to it at once.
    commands.add("racadm set iDRAC.IPv4.Address " + VendorTool.quote(settings.address()));
    return commands;
  }

  @Override
  public void checkNetworkWritten(String command, String output) {
    if (!output.contains("Object value modified successfully")) {
      throw new IllegalArgumentException("racadm refused: " + abbreviate(output));
    }
  }

  /**
   * {@code racadm set iDRAC.ServerBoot.FirstBootDevice <device>} then {@code racadm set
   * iDRAC.ServerBoot.BootOnce Enabled}: the iDRAC boots the server from that device at its next
   * boot only, then clears BootOnce.
   */
  @Override
  public List<String> nextBootCommands(String device) {
    return List.of(
        "racadm set iDRAC.ServerBoot.FirstBootDevice " + VendorTool.quote(device),
        "racadm set iDRAC.ServerBoot.BootOnce Enabled");
  }

  @Override
  public void checkNextBootSet(String command, String output) {
    checkNetworkWritten(command, output);
  }

  @Override
  public String firmwareUpdateCommand(String remotePath) {
    return "racadm update -f " + VendorTool.quote(remotePath);
  }

  @Override
  public void checkFirmwareUpdate(String output) {
    if (!output.contains("RAC987") || output.contains("ERROR")) {
      throw new IllegalArgumentException(
          "racadm did not start the firmware update: " + abbreviate(output));
    }
  }

  @Override
  public Optional<String> firmwareInventoryCommand() {
    return Optional.of("racadm getversion");
  }

  @Override
  public Map<String, String> parseFirmwareInventory(String output) {
    var versions = new LinkedHashMap<String, String>();
    Matcher m = Pattern.compile("(?m)^\\s*(\\S.*?)\\s+Version\\s*=\\s*(\\S+)\\s*$").matcher(output);
    while (m.find()) {
      versions.put(m.group(1), m.group(2));
    }
    if (versions.isEmpty()) {
      throw new IllegalArgumentException(
          "racadm getversion printed no '<component> Version = <version>' line: "
              + abbreviate(output));
    }
    return versions;
  }

  static String abbreviate(String text) {
    String t = text.strip().replaceAll("\\s+", " ");
    return t.length() > 300 ? t.substring(0, 300) + "..." : t;
  }

  /** The tool; it keeps no state, so one instance serves every server. */
  public Racadm() {}
}
