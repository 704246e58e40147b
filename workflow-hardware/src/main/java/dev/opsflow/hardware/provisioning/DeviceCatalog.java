package dev.opsflow.hardware.provisioning;

import dev.opsflow.workflow.ValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The device types a fleet has, read from YAML. Each type says which BIOS attributes to set, which
 * firmware versions it wants and how long its slow operations may take:
 *
 * <pre>{@code
 * deviceTypes:
 *   a1.c5.large:
 *     description: 1U, 2 sockets
 *     bios:
 *       BootMode: Uefi
 *       ProcVirtualization: Enabled
 *     firmware:
 *       - component: BIOS                      # FirmwareInventory Id or Name
 *         version: 1.5.0
 *         image: https://firmware.example/a1.c5.large/bios/1.5.0.bin
 *         transferProtocol: HTTPS              # optional
 *     timeouts: {commission: 45m, bios: 15m, ipmi: 5m, firmware: 30m}   # optional, these defaults
 * }</pre>
 *
 * <p>Everything is checked when the catalog is read: an unknown field, a field of the wrong type or
 * a bad value (a timeout that is not a positive duration, an image that is not an absolute URI, a
 * component listed twice) is a {@link ValidationException} naming the file, the field's path and
 * the value, every problem at once. Immutable and thread-safe.
 */
public final class DeviceCatalog {
  /**
   * The catalog shipped in this module, {@code
   * dev/opsflow/hardware/provisioning/device-catalog.yaml}.
   */
  public static final String DEFAULT_RESOURCE =
      "dev/opsflow/hardware/provisioning/device-catalog.yaml";

  private static final Pattern TYPE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");
  private static final Set<String> TYPE_FIELDS =
      Set.of(
          "description",
          "bios",
          "firmware",
          "timeouts",
          "vendorTools",
          "methods",
          "firmwarePriority");
  private static final Set<String> FIRMWARE_FIELDS =
      Set.of("component", "version", "image", "transferProtocol", "kind", "sha256");
  private static final Set<String> VENDOR_TOOLS = Set.of("racadm", "ilorest", "sum");
  private static final Pattern SHA256 = Pattern.compile("[0-9A-Fa-f]{64}");
  private static final List<String> TIMEOUT_FIELDS =
      List.of("commission", "bios", "ipmi", "firmware");
  private static final Set<String> PROTOCOLS =
      Set.of("HTTP", "HTTPS", "FTP", "SFTP", "TFTP", "SCP", "NFS", "CIFS", "OEM");

  private final String source;
  private final Map<String, DeviceType> types;

  private DeviceCatalog(String source, Map<String, DeviceType> types) {
    this.source = source;
    this.types = Collections.unmodifiableMap(new LinkedHashMap<>(types));
  }

  /** {@return the catalog shipped in this module ({@link #DEFAULT_RESOURCE})} */
  public static DeviceCatalog defaults() {
    try (InputStream in =
        DeviceCatalog.class.getClassLoader().getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + DEFAULT_RESOURCE + " is missing");
      }
      return parse(
          "classpath:" + DEFAULT_RESOURCE, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + DEFAULT_RESOURCE, e);
    }
  }

  /**
   * Reads a catalog file.
   *
   * @param file the catalog file (YAML)
   * @return the catalog
   * @throws ValidationException naming the file, each bad field and its value
   * @throws UncheckedIOException when the file cannot be read
   */
  public static DeviceCatalog load(Path file) {
    try {
      return parse(file.toString(), Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read device catalog " + file, e);
    }
  }

  /**
   * Reads a catalog from YAML text.
   *
   * @param source names the text in error messages (a file name)
   * @param yaml the catalog as YAML text
   * @return the catalog
   * @throws ValidationException naming the source, each bad field and its value
   */
  public static DeviceCatalog parse(String source, String yaml) {
    JsonNode root;
    try {
      root = new YAMLMapper().readTree(yaml);
    } catch (JacksonException e) {
      throw new ValidationException(
          "device catalog " + source + " is not valid YAML: " + e.getOriginalMessage());
    }
    var problems = new ArrayList<String>();
    var types = new LinkedHashMap<String, DeviceType>();
    if (root == null || !root.isObject()) {
      problems.add("the document must be a mapping with 'deviceTypes'");
    } else {
      for (String field : root.propertyNames()) {
        if (!field.equals("deviceTypes")) {
          problems.add("unknown field '" + field + "': expected only 'deviceTypes'");
        }
      }
      JsonNode all = root.path("deviceTypes");
      if (!all.isObject() || all.isEmpty()) {
        problems.add("'deviceTypes' must be a mapping of at least one device type by name");
      } else {
        for (var entry : all.properties()) {
          DeviceType type = readType(entry.getKey(), entry.getValue(), problems);
          if (type != null) {
            types.put(type.name(), type);
          }
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ValidationException(
          problems.stream().map(p -> "device catalog " + source + ": " + p).toList());
    }
    return new DeviceCatalog(source, types);
  }

  /**
   * This catalog with {@code config}'s {@code device_configurations} applied: a type's BIOS and BMC
   * network timeouts and vendor tools.
   *
   * @param config the provisioning configuration
   * @return the adjusted catalog
   * @throws ValidationException naming the config and each type this catalog lacks
   */
  public DeviceCatalog with(ProvisioningConfig config) {
    var problems = new ArrayList<String>();
    var changed = new LinkedHashMap<>(types);
    config
        .devices()
        .forEach(
            (name, s) -> {
              DeviceType t = types.get(name);
              if (t == null) {
                problems.add(
                    config.source()
                        + ": device_configurations."
                        + name
                        + ": not a device type of "
                        + source
                        + "; it has "
                        + names());
                return;
              }
              DeviceTimeouts d = t.timeouts();
              var timeouts =
                  new DeviceTimeouts(
                      d.commission(),
                      s.biosConfigTimeout() != null ? s.biosConfigTimeout() : d.bios(),
                      s.ipmiConfigTimeout() != null ? s.ipmiConfigTimeout() : d.ipmi(),
                      d.firmware());
              changed.put(
                  name,
                  new DeviceType(
                      t.name(),
                      t.description(),
                      t.biosAttributes(),
                      t.firmware(),
                      timeouts,
                      s.vendorTools() != null ? s.vendorTools() : t.vendorTools(),
                      t.methods(),
                      t.firmwarePriority()));
            });
    if (!problems.isEmpty()) {
      throw new ValidationException(problems);
    }
    return new DeviceCatalog(source + " with " + config.source(), changed);
  }

  /** {@return where the catalog came from} */
  public String source() {
    return source;
  }

  /** {@return the names of the device types, in the file's order} */
  public Set<String> names() {
    return types.keySet();
  }

  /**
   * The device type {@code name}, if the catalog has it.
   *
   * @param name the device type's name
   * @return the device type, or empty
   */
  public Optional<DeviceType> find(String name) {
    return Optional.ofNullable(name == null ? null : types.get(name));
  }

  /**
   * The device type {@code name}.
   *
   * @param name the device type's name
   * @return the device type
   * @throws ValidationException naming the type and the known ones when there is none
   */
  public DeviceType get(String name) {
    return find(name)
        .orElseThrow(
            () ->
                new ValidationException(
                    "unknown device type '" + name + "': " + source + " has " + names()));
  }

  private static DeviceType readType(String name, JsonNode node, List<String> problems) {
    String at = "deviceTypes." + name;
    int before = problems.size();
    if (!TYPE_NAME.matcher(name).matches()) {
      problems.add(at + ": '" + name + "' is not a device type name (letters, digits, . _ -)");
    }
    if (!node.isObject()) {
      problems.add(at + ": must be a mapping with " + new TreeSet<>(TYPE_FIELDS));
      return null;
    }
    unknownFields(at, node, TYPE_FIELDS, problems);
    String description = null;
    if (node.has("description")) {
      description = text(at + ".description", node.get("description"), problems);
    }
    var bios = new LinkedHashMap<String, Object>();
    if (node.has("bios")) {
      JsonNode b = node.get("bios");
      if (!b.isObject()) {
        problems.add(at + ".bios: must be a mapping of attribute names to values");
      } else {
        for (var e : b.properties()) {
          JsonNode v = e.getValue();
          String field = at + ".bios." + e.getKey();
          if (v.isString()) {
            bios.put(e.getKey(), v.asString());
          } else if (v.isBoolean()) {
            bios.put(e.getKey(), v.asBoolean());
          } else if (v.isIntegralNumber()) {
            bios.put(e.getKey(), v.asLong());
          } else {
            problems.add(field + ": " + show(v) + " is not a text, number or boolean");
          }
        }
      }
    }
    var firmware = new ArrayList<FirmwareTarget>();
    if (node.has("firmware")) {
      JsonNode f = node.get("firmware");
      if (!f.isArray()) {
        problems.add(at + ".firmware: must be a list of {component, version, image}");
      } else {
        var seen = new HashSet<String>();
        for (int i = 0; i < f.size(); i++) {
          FirmwareTarget t = readFirmware(at + ".firmware[" + i + "]", f.get(i), problems);
          if (t != null && !seen.add(t.component())) {
            problems.add(
                at + ".firmware[" + i + "].component: '" + t.component() + "' is listed twice");
          }
          if (t != null) {
            firmware.add(t);
          }
        }
      }
    }
    DeviceTimeouts timeouts = readTimeouts(at + ".timeouts", node.get("timeouts"), problems);
    List<String> tools =
        names(at + ".vendorTools", node.get("vendorTools"), VENDOR_TOOLS, problems);
    List<String> priority =
        names(
            at + ".firmwarePriority", node.get("firmwarePriority"), FirmwareTarget.KINDS, problems);
    var methods = new java.util.EnumMap<Capability, List<AccessMethod>>(Capability.class);
    JsonNode m = node.get("methods");
    if (m != null) {
      if (!m.isObject()) {
        problems.add(at + ".methods: must be a mapping of capability to a list of methods");
      } else {
        var methodNames =
            java.util.Arrays.stream(AccessMethod.values()).map(AccessMethod::configName).toList();
        for (var e : m.properties()) {
          var capability = Capability.find(e.getKey());
          if (capability.isEmpty()) {
            problems.add(
                at
                    + ".methods."
                    + e.getKey()
                    + ": unknown capability; expected one of "
                    + java.util.Arrays.stream(Capability.values())
                        .map(Capability::configName)
                        .toList());
            continue;
          }
          List<String> chain =
              names(at + ".methods." + e.getKey(), e.getValue(), Set.copyOf(methodNames), problems);
          if (chain != null) {
            methods.put(
                capability.get(),
                chain.stream().map(n -> AccessMethod.find(n).orElseThrow()).toList());
          }
        }
      }
    }
    if (problems.size() > before) {
      return null;
    }
    return new DeviceType(name, description, bios, firmware, timeouts, tools, methods, priority);
  }

  private static FirmwareTarget readFirmware(String at, JsonNode node, List<String> problems) {
    if (!node.isObject()) {
      problems.add(at + ": must be a mapping with component, version and image");
      return null;
    }
    unknownFields(at, node, FIRMWARE_FIELDS, problems);
    String component = required(at, node, "component", problems);
    String version = required(at, node, "version", problems);
    String image = required(at, node, "image", problems);
    if (image != null) {
      try {
        URI uri = new URI(image);
        if (!uri.isAbsolute() || uri.getHost() == null && uri.getAuthority() == null) {
          problems.add(
              at + ".image: '" + image + "' is not an absolute URI such as https://host/file.bin");
          image = null;
        }
      } catch (java.net.URISyntaxException e) {
        problems.add(
            at + ".image: '" + image + "' is not an absolute URI such as https://host/file.bin");
        image = null;
      }
    }
    String protocol = null;
    if (node.has("transferProtocol")) {
      protocol = text(at + ".transferProtocol", node.get("transferProtocol"), problems);
      if (protocol != null && !PROTOCOLS.contains(protocol)) {
        problems.add(
            at + ".transferProtocol: '" + protocol + "' is not one of " + new TreeSet<>(PROTOCOLS));
        protocol = null;
      }
    }
    String kind = null;
    if (node.has("kind")) {
      kind = text(at + ".kind", node.get("kind"), problems);
      if (kind != null && !FirmwareTarget.KINDS.contains(kind)) {
        problems.add(
            at + ".kind: '" + kind + "' is not one of " + new TreeSet<>(FirmwareTarget.KINDS));
        kind = null;
      }
    }
    String sha256 = null;
    if (node.has("sha256")) {
      sha256 = text(at + ".sha256", node.get("sha256"), problems);
      if (sha256 != null && !SHA256.matcher(sha256).matches()) {
        problems.add(at + ".sha256: '" + sha256 + "' is not 64 hexadecimal digits");
        sha256 = null;
      }
    }
    if (component == null || version == null || image == null) {
      return null;
    }
    return new FirmwareTarget(component, version, image, protocol, kind, sha256);
  }

  private static DeviceTimeouts readTimeouts(String at, JsonNode node, List<String> problems) {
    if (node == null) {
      return DeviceTimeouts.DEFAULTS;
    }
    if (!node.isObject()) {
      problems.add(at + ": must be a mapping with " + TIMEOUT_FIELDS);
      return null;
    }
    unknownFields(at, node, Set.copyOf(TIMEOUT_FIELDS), problems);
    var d = DeviceTimeouts.DEFAULTS;
    Duration[] values = {d.commission(), d.bios(), d.ipmi(), d.firmware()};
    for (int i = 0; i < TIMEOUT_FIELDS.size(); i++) {
      String field = TIMEOUT_FIELDS.get(i);
      if (node.has(field)) {
        Duration parsed = duration(node.get(field));
        if (parsed == null) {
          problems.add(
              at
                  + "."
                  + field
                  + ": "
                  + show(node.get(field))
                  + " is not a positive duration such as 30s, 15m, 2h or PT15M");
        } else {
          values[i] = parsed;
        }
      }
    }
    return new DeviceTimeouts(values[0], values[1], values[2], values[3]);
  }

  /** A positive duration from {@code 90s}, {@code 15m}, {@code 2h}, {@code 500ms} or ISO-8601. */
  static Duration duration(JsonNode node) {
    if (!node.isString()) {
      return null;
    }
    String s = node.asString().trim();
    Duration d = null;
    var m = DURATION.matcher(s);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      d =
          switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
          };
    } else {
      try {
        d = Duration.parse(s);
      } catch (java.time.format.DateTimeParseException e) {
        return null;
      }
    }
    return d.isNegative() || d.isZero() ? null : d;
  }

  /** A list of distinct names out of {@code allowed}; empty when absent. */
  private static List<String> names(
      String at, JsonNode node, Set<String> allowed, List<String> problems) {
    if (node == null) {
      return List.of();
    }
    if (!node.isArray()) {
      problems.add(at + ": must be a list of " + new TreeSet<>(allowed));
      return null;
    }
    var out = new ArrayList<String>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode v = node.get(i);
      String name = v.isString() ? v.asString() : null;
      if (name == null || !allowed.contains(name)) {
        problems.add(at + "[" + i + "]: " + show(v) + " is not one of " + new TreeSet<>(allowed));
      } else if (out.contains(name)) {
        problems.add(at + "[" + i + "]: '" + name + "' is listed twice");
      } else {
        out.add(name);
      }
    }
    return out;
  }

  private static void unknownFields(
      String at, JsonNode node, Set<String> known, List<String> problems) {
    for (String field : node.propertyNames()) {
      if (!known.contains(field)) {
        problems.add(at + "." + field + ": unknown field; expected one of " + new TreeSet<>(known));
      }
    }
  }

  private static String required(String at, JsonNode node, String field, List<String> problems) {
    if (!node.has(field)) {
      problems.add(at + "." + field + ": missing");
      return null;
    }
    return text(at + "." + field, node.get(field), problems);
  }

  private static String text(String at, JsonNode value, List<String> problems) {
    if (!value.isValueNode() || value.isNull() || value.asString().isBlank()) {
      problems.add(at + ": " + show(value) + " is not a non-blank text");
      return null;
    }
    return value.asString();
  }

  private static String show(JsonNode value) {
    return value.isValueNode() ? "'" + value.asString() + "'" : value.toString();
  }
}
