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
 * reboot ForceRestart|On} resets; {@code ilorest flashfwpkg FILE} flashes a firmware package.
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

  @Override
  public String firmwareUpdateCommand(String remotePath) {
    return "ilorest flashfwpkg " + VendorTool.quote(remotePath);
  }

  /** The tool; it keeps no state, so one instance serves every server. */
  public Ilorest() {}
}
