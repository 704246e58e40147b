package dev.opsflow.hardware.redfish.conformance;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.regex.JDKRegularExpressionFactory;
import com.networknt.schema.regex.RegularExpressionFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.PatternSyntaxException;
import tools.jackson.databind.JsonNode;

/**
 * DMTF's published Redfish JSON Schemas (DSP8010, {@code http://redfish.dmtf.org/schemas/v1/}),
 * read from the test class path ({@code dmtf-redfish-schemas/json-schema.zip}: the files validation
 * of the simulators' resources reaches, copied from DMTF's Redfish-Publications under its
 * BSD-3-Clause license, LICENSE.md and README.md beside it) or, with {@code
 * -Dopsflow.redfish.schemas=DIR}, from a full copy of the {@code json-schema} folder. DMTF's
 * schemas name their own meta-schema ({@code redfish-schema-v1.json}, draft-07 plus annotations
 * such as {@code readonly} and {@code longDescription} that do not constrain instances): they are
 * validated as draft-07.
 */
final class DmtfSchemas {
  static final String BASE = "http://redfish.dmtf.org/schemas/v1/";
  private static final String META = "http://redfish.dmtf.org/schemas/v1/redfish-schema-v1.json";
  private final Set<String> loaded = ConcurrentHashMap.newKeySet();
  private final Map<String, Schema> schemas = new ConcurrentHashMap<>();
  private final Set<String> brokenPatterns = ConcurrentHashMap.newKeySet();

  /**
   * DMTF's schemas are written for ECMA-262 regular expressions, and one is wrong there too:
   * ManagerAccount's Password pattern {@code (^Passphrase:[ ^[ !#-~]+\z)} uses PCRE's {@code \z}
   * (in ECMA-262 a literal 'z') inside what Java reads as a nested class. A pattern that does not
   * compile is recorded and not applied, rather than failing every resource.
   */
  private final RegularExpressionFactory patterns =
      regex -> {
        try {
          return JDKRegularExpressionFactory.getInstance().getRegularExpression(regex);
        } catch (PatternSyntaxException e) {
          brokenPatterns.add(regex);
          return value -> true;
        }
      };

  private final SchemaRegistry registry =
      SchemaRegistry.withDefaultDialect(
          SpecificationVersion.DRAFT_7,
          builder ->
              builder
                  .schemas(this::load)
                  .schemaRegistryConfig(
                      SchemaRegistryConfig.builder().regularExpressionFactory(patterns).build()));

  /** The published patterns that are not valid regular expressions (not applied). */
  Set<String> brokenPatterns() {
    return Set.copyOf(brokenPatterns);
  }

  /** The errors of {@code resource} against the schema its {@code @odata.type} names. */
  List<Error> validate(JsonNode resource) {
    String type = resource.path("@odata.type").asString("");
    if (!type.startsWith("#")) {
      throw new IllegalArgumentException("no @odata.type on " + resource.path("@odata.id"));
    }
    String namespace = type.substring(1, type.lastIndexOf('.'));
    return validate(namespace + ".json", resource);
  }

  /** The errors of {@code instance} against the schema file {@code name}. */
  List<Error> validate(String name, JsonNode instance) {
    Schema schema =
        schemas.computeIfAbsent(name, n -> registry.getSchema(SchemaLocation.of(BASE + n)));
    return schema.validate(instance);
  }

  /** The schema files validation has read so far. */
  Set<String> loaded() {
    return Set.copyOf(loaded);
  }

  private String load(String iri) {
    if (!iri.startsWith(BASE)) {
      return null;
    }
    String name = iri.substring(BASE.length());
    int hash = name.indexOf('#');
    if (hash >= 0) {
      name = name.substring(0, hash);
    }
    String text = read(name);
    if (text == null) {
      return null;
    }
    loaded.add(name);
    return text.replace(META, "http://json-schema.org/draft-07/schema#");
  }

  private static Map<String, String> zipped;

  /** Every file of the zip, read once. */
  private static synchronized Map<String, String> zipped() throws IOException {
    if (zipped == null) {
      var files = new java.util.HashMap<String, String>();
      try (var zip =
          new java.util.zip.ZipInputStream(
              DmtfSchemas.class.getResourceAsStream("/dmtf-redfish-schemas/json-schema.zip"))) {
        for (var entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
          files.put(entry.getName(), new String(zip.readAllBytes(), StandardCharsets.UTF_8));
        }
      }
      zipped = files;
    }
    return zipped;
  }

  private static String read(String name) {
    String dir = System.getProperty("opsflow.redfish.schemas");
    try {
      if (dir != null) {
        Path file = Path.of(dir, name);
        return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
      }
      return zipped().get(name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
