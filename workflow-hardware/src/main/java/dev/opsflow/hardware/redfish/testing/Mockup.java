package dev.opsflow.hardware.redfish.testing;

import dev.opsflow.workflow.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Redfish mockup in DMTF's layout: every resource is {@code <path under /redfish/v1>/index.json}
 * and the service root is the top {@code index.json} (as in DMTF's {@code public-rackmount1} and
 * Redfish-Mockup-Server). Loaded once; {@link RedfishSimulator} works on a deep copy, so one mockup
 * can serve several simulators. Immutable.
 */
public final class Mockup {
  private static final String BUILT_IN = "/dev/opsflow/hardware/redfish/mockup/";

  private final Map<String, ObjectNode> resources;
  private final String metadata;

  private Mockup(Map<String, ObjectNode> resources, String metadata) {
    this.resources = resources;
    this.metadata = metadata;
  }

  /**
   * Reads a mockup directory.
   *
   * @param dir the mockup's directory
   * @return the mockup
   * @throws IllegalArgumentException if it has no top-level {@code index.json}
   * @throws UncheckedIOException if a file cannot be read or parsed
   */
  public static Mockup fromDirectory(Path dir) {
    if (dir == null || !Files.isRegularFile(dir.resolve("index.json"))) {
      throw new IllegalArgumentException(
          "mockup dir must contain the service root index.json, was " + dir);
    }
    var resources = new LinkedHashMap<String, ObjectNode>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : (Iterable<Path>) files.sorted()::iterator) {
        if (file.getFileName().toString().equals("index.json")) {
          String rel = dir.relativize(file.getParent()).toString().replace('\\', '/');
          resources.put(path(rel), parse(Files.readString(file, StandardCharsets.UTF_8), file));
        }
      }
      Path csdl = dir.resolve("$metadata").resolve("index.xml");
      String metadata =
          Files.isRegularFile(csdl) ? Files.readString(csdl, StandardCharsets.UTF_8) : null;
      return new Mockup(resources, metadata);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the mockup " + dir, e);
    }
  }

  /**
   * Opsflow's own small mockup (one server, its BIOS, a BMC, updates, tasks, sessions).
   *
   * @return the built-in mockup
   */
  public static Mockup builtIn() {
    var resources = new LinkedHashMap<String, ObjectNode>();
    String listing = read(BUILT_IN + "files.txt");
    for (String line : listing.split("\\R")) {
      String rel = line.strip();
      if (rel.startsWith("#")) {
        continue;
      }
      String file = BUILT_IN + (rel.isEmpty() ? "" : rel + "/") + "index.json";
      resources.put(path(rel), parse(read(file), Path.of(file)));
    }
    return new Mockup(resources, null);
  }

  /** A deep copy of every resource, by path ({@code /redfish/v1/Systems}, no trailing slash). */
  Map<String, ObjectNode> copy() {
    var copy = new LinkedHashMap<String, ObjectNode>();
    resources.forEach((k, v) -> copy.put(k, v.deepCopy()));
    return copy;
  }

  /**
   * {@return a copy without any system's BIOS resources or {@code Bios} link, as Dell R630/R820-era
   * iDRACs and many blades serve it: a client finds no Bios, and {@code .../Bios} answers 404}
   */
  public Mockup withoutBios() {
    Map<String, ObjectNode> copy = copy();
    copy.keySet().removeIf(p -> p.matches("/redfish/v1/Systems/[^/]+/Bios(/.*)?"));
    copy.forEach(
        (p, r) -> {
          if (p.matches("/redfish/v1/Systems/[^/]+")) {
            r.remove("Bios");
          }
        });
    return new Mockup(copy, metadata);
  }

  /**
   * {@return a copy whose systems have no {@code Boot} property, as BMCs whose Redfish cannot
   * override the boot source (set over IPMI or a vendor tool instead)}
   */
  public Mockup withoutBoot() {
    Map<String, ObjectNode> copy = copy();
    copy.forEach(
        (p, r) -> {
          if (p.matches("/redfish/v1/Systems/[^/]+")) {
            r.remove("Boot");
          }
        });
    return new Mockup(copy, metadata);
  }

  /**
   * {@return a copy whose managers list no EthernetInterfaces, as BMCs whose network Redfish does
   * not manage (it is set over IPMI)}
   */
  public Mockup withoutManagerNetwork() {
    Map<String, ObjectNode> copy = copy();
    copy.keySet().removeIf(p -> p.matches("/redfish/v1/Managers/[^/]+/EthernetInterfaces(/.*)?"));
    copy.forEach(
        (p, r) -> {
          if (p.matches("/redfish/v1/Managers/[^/]+")) {
            r.remove("EthernetInterfaces");
          }
        });
    return new Mockup(copy, metadata);
  }

  /**
   * {@return a copy without the UpdateService (no FirmwareInventory, no SimpleUpdate), as older
   * BMCs serve it: firmware is then read and flashed with the vendor's tool}
   */
  public Mockup withoutUpdateService() {
    Map<String, ObjectNode> copy = copy();
    copy.keySet().removeIf(p -> p.matches("/redfish/v1/UpdateService(/.*)?"));
    copy.forEach(
        (p, r) -> {
          if (p.equals("/redfish/v1") || p.equals("/redfish/v1/")) {
            r.remove("UpdateService");
          }
        });
    return new Mockup(copy, metadata);
  }

  /** The mockup's own {@code $metadata} document ({@code $metadata/index.xml}), if it has one. */
  java.util.Optional<String> metadata() {
    return java.util.Optional.ofNullable(metadata);
  }

  /** {@return how many resources it has} */
  public int size() {
    return resources.size();
  }

  private static String path(String rel) {
    return rel.isEmpty() ? "/redfish/v1" : "/redfish/v1/" + rel;
  }

  private static ObjectNode parse(String text, Path source) {
    JsonNode node = Json.mapper().readTree(text);
    if (!(node instanceof ObjectNode object)) {
      throw new IllegalArgumentException(source + " is not a JSON object");
    }
    return object;
  }

  private static String read(String resource) {
    try (InputStream in = Mockup.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing built-in mockup resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
