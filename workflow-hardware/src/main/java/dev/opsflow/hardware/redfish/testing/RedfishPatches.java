package dev.opsflow.hardware.redfish.testing;

import dev.opsflow.hardware.redfish.testing.RedfishSimulator.Answer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Validation of PATCH bodies as strict as a BMC's, from DMTF's schemas: which properties of a
 * ComputerSystem are writable, the enumerations of its Boot properties (narrowed by the resource's
 * {@code @Redfish.AllowableValues}), and BIOS attribute values against their attribute registry
 * when the service has one, else against the type of the current value. Returns the error to
 * answer, or null when the change is valid.
 */
final class RedfishPatches {
  /** ComputerSystem properties the schema marks writable (Permissions/ReadWrite). */
  private static final Set<String> SYSTEM_WRITABLE =
      Set.of(
          "AssetTag",
          "Boot",
          "HostName",
          "IndicatorLED",
          "LocationIndicatorActive",
          "PowerRestorePolicy",
          "PowerMode",
          "BootProgress");

  private static final Map<String, List<String>> SYSTEM_ENUMS =
      Map.of(
          "IndicatorLED", List.of("Lit", "Blinking", "Off"),
          "PowerRestorePolicy", List.of("AlwaysOn", "AlwaysOff", "LastState"),
          "PowerMode",
              List.of(
                  "MaximumPerformance",
                  "BalancedPerformance",
                  "PowerSaving",
                  "Static",
                  "OSControlled",
                  "OEM",
                  "EfficiencyFavorPower",
                  "EfficiencyFavorPerformance"));

  /** Boot properties the schema marks writable, with their enumerations (null: a string). */
  private static final Map<String, List<String>> BOOT_WRITABLE =
      Map.of(
          "BootSourceOverrideEnabled", List.of("Disabled", "Once", "Continuous"),
          "BootSourceOverrideMode", List.of("Legacy", "UEFI"),
          "BootSourceOverrideTarget",
              List.of(
                  "None",
                  "Pxe",
                  "Floppy",
                  "Cd",
                  "Usb",
                  "Hdd",
                  "BiosSetup",
                  "Utilities",
                  "Diags",
                  "UefiShell",
                  "UefiTarget",
                  "SDCard",
                  "UefiHttp",
                  "RemoteDrive",
                  "UefiBootNext",
                  "Recovery"),
          "UefiTargetBootSourceOverride", List.of(),
          "BootNext", List.of(),
          "HttpBootUri", List.of(),
          "AutomaticRetryConfig", List.of("Disabled", "RetryAttempts", "RetryAlways"),
          "StopBootOnFault", List.of("Never", "AnyFault"),
          "TrustedModuleRequiredToBoot", List.of("Disabled", "Required"));

  private RedfishPatches() {}

  static Answer checkSystem(ObjectNode system, JsonNode changes) {
    for (var e : changes.properties()) {
      String name = e.getKey();
      JsonNode value = e.getValue();
      if (name.startsWith("@odata.")) {
        continue;
      }
      if (!SYSTEM_WRITABLE.contains(name)) {
        return system.has(name) ? notWritable(name) : unknown(name);
      }
      if (!name.equals("AssetTag") && !system.has(name)) {
        return unknown(name);
      }
      Answer error =
          switch (name) {
            case "Boot" -> checkBoot(system.path("Boot"), value);
            case "LocationIndicatorActive" ->
                value.isBoolean() ? null : typeError(name, value, "a boolean");
            default -> checkString(name, value, SYSTEM_ENUMS.getOrDefault(name, List.of()), system);
          };
      if (error != null) {
        return error;
      }
    }
    return null;
  }

  private static Answer checkBoot(JsonNode current, JsonNode boot) {
    if (!boot.isObject()) {
      return typeError("Boot", boot, "an object");
    }
    for (var e : boot.properties()) {
      String name = e.getKey();
      if (!BOOT_WRITABLE.containsKey(name)) {
        return current.has(name) ? notWritable("Boot/" + name) : unknown("Boot/" + name);
      }
      if (name.equals("BootOrder")) {
        continue;
      }
      Answer error = checkString("Boot/" + name, e.getValue(), BOOT_WRITABLE.get(name), current);
      if (error != null) {
        return error;
      }
    }
    return null;
  }

  /** A string from {@code values} (any string when empty), narrowed by the AllowableValues. */
  private static Answer checkString(
      String path, JsonNode value, List<String> values, JsonNode owner) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    if (!value.isString()) {
      return typeError(path, value, "a string");
    }
    JsonNode allowed = owner.path(name + "@Redfish.AllowableValues");
    boolean ok =
        allowed.isArray()
            ? allowed.valueStream().anyMatch(v -> v.asString().equals(value.asString()))
            : values.isEmpty() || values.contains(value.asString());
    return ok ? null : notInList(path, value.asString());
  }

  /** Checks BIOS attributes against the registry entries (by name), else the current values. */
  static Answer checkBios(JsonNode currentAttributes, JsonNode registry, JsonNode changes) {
    JsonNode attributes = changes.path("Attributes");
    if (!attributes.isObject()) {
      return changes.has("Attributes")
          ? typeError("Attributes", attributes, "an object")
          : RedfishSimulator.error(
              400,
              "PropertyMissing",
              "The property Attributes is a required property and must be included in the"
                  + " request.");
    }
    for (var e : attributes.properties()) {
      String name = e.getKey();
      JsonNode value = e.getValue();
      if (!currentAttributes.has(name)) {
        return unknown("Attributes/" + name);
      }
      JsonNode entry = entry(registry, name);
      Answer error =
          entry == null
              ? sameType(name, value, currentAttributes.get(name))
              : byRegistry(entry, name, value);
      if (error != null) {
        return error;
      }
    }
    return null;
  }

  private static JsonNode entry(JsonNode registry, String name) {
    if (registry == null) {
      return null;
    }
    for (JsonNode a : registry.path("RegistryEntries").path("Attributes")) {
      if (a.path("AttributeName").asString("").equals(name)) {
        return a;
      }
    }
    return null;
  }

  private static Answer byRegistry(JsonNode entry, String name, JsonNode value) {
    String path = "Attributes/" + name;
    if (entry.path("ReadOnly").asBoolean(false)) {
      return notWritable(path);
    }
    switch (entry.path("Type").asString("")) {
      case "Enumeration" -> {
        if (!value.isString()) {
          return typeError(path, value, "a string");
        }
        boolean listed =
            entry
                .path("Value")
                .valueStream()
                .anyMatch(v -> v.path("ValueName").asString("").equals(value.asString()));
        return listed ? null : notInList(path, value.asString());
      }
      case "Integer" -> {
        if (!value.isIntegralNumber()) {
          return typeError(path, value, "an integer");
        }
        long n = value.asLong();
        if (entry.has("LowerBound") && n < entry.get("LowerBound").asLong()
            || entry.has("UpperBound") && n > entry.get("UpperBound").asLong()) {
          return RedfishSimulator.error(
              400,
              "PropertyValueOutOfRange",
              "The value "
                  + n
                  + " for the property "
                  + path
                  + " is not in the supported range of"
                  + " "
                  + entry.path("LowerBound").asLong()
                  + " to "
                  + entry.path("UpperBound").asLong()
                  + ".");
        }
        return null;
      }
      case "Boolean" -> {
        return value.isBoolean() ? null : typeError(path, value, "a boolean");
      }
      default -> {
        if (!value.isString()) {
          return typeError(path, value, "a string");
        }
        int length = value.asString().length();
        if (entry.has("MaxLength") && length > entry.get("MaxLength").asInt()
            || entry.has("MinLength") && length < entry.get("MinLength").asInt()) {
          return RedfishSimulator.error(
              400,
              "PropertyValueFormatError",
              "The value for the property "
                  + path
                  + " is of a different length than the property"
                  + " can accept.");
        }
        return null;
      }
    }
  }

  private static Answer sameType(String name, JsonNode value, JsonNode current) {
    boolean same =
        current.isString() && value.isString()
            || current.isNumber() && value.isNumber()
            || current.isBoolean() && value.isBoolean();
    String expected =
        current.isString() ? "a string" : current.isNumber() ? "a number" : "a boolean";
    return same ? null : typeError("Attributes/" + name, value, expected);
  }

  static Answer unknown(String path) {
    return RedfishSimulator.error(
        400,
        "PropertyUnknown",
        "The property " + path + " is not in the list of valid properties for the resource.");
  }

  static Answer notWritable(String path) {
    return RedfishSimulator.error(
        400,
        "PropertyNotWritable",
        "The property " + path + " is a read only property and cannot be assigned a value.");
  }

  static Answer notInList(String path, String value) {
    return RedfishSimulator.error(
        400,
        "PropertyValueNotInList",
        "The value "
            + value
            + " for the property "
            + path
            + " is not in the list of acceptable"
            + " values.");
  }

  static Answer typeError(String path, JsonNode value, String expected) {
    return RedfishSimulator.error(
        400,
        "PropertyValueTypeError",
        "The value "
            + value
            + " for the property "
            + path
            + " is of a different type than the"
            + " property can accept ("
            + expected
            + ").");
  }
}
