package dev.opsflow.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Named targets in the config file, as redisctl's profiles: each profile is a map of input defaults
 * (a Redis Enterprise cluster's {@code url}, {@code username}, {@code password}, {@code
 * caCertFile}; MAAS's {@code maasUrl}, {@code maasApiKey}; BMC defaults such as {@code
 * bmcUsername}) and a Redis Cloud account ({@code redisCloudApiKey}, {@code redisCloudSecretKey},
 * {@code redisCloudBaseUri}).
 *
 * <pre>
 * default: lab
 * profiles:
 *   lab:
 *     url: https://cluster.lab:9443
 *     username: admin@lab.example
 *     password: "@env:LAB_RE_PASSWORD"
 *     caCertFile: /etc/opsflow/lab-ca.pem
 * </pre>
 *
 * <p>A secret is only ever a reference ({@code @env:VAR}, {@code @file:PATH}); a file that group or
 * others may read or write is refused, as ssh refuses a loose key.
 */
final class Profiles {
  /** Keys of a profile that are not workflow inputs: the Redis Cloud account. */
  static final Map<String, String> CLOUD_KEYS =
      Map.of(
          "redisCloudApiKey", Targets.CLOUD_API_KEY_ENV,
          "redisCloudSecretKey", Targets.CLOUD_SECRET_KEY_ENV,
          "redisCloudBaseUri", Targets.CLOUD_BASE_URI_ENV);

  private static final List<String> SECRET_WORDS =
      List.of("password", "apikey", "secret", "token", "passphrase");

  /** A named profile: its values as written (secrets as references). */
  record Profile(String name, Map<String, String> values) {
    /** Its values with secrets masked, for {@code opsflow profile show}. */
    Map<String, String> masked() {
      var out = new TreeMap<String, String>();
      values.forEach((k, v) -> out.put(k, isSecret(k) ? mask(v) : v));
      return out;
    }

    private static String mask(String ref) {
      int colon = ref.indexOf(':');
      return ref.startsWith("@") && colon > 0 ? ref : "****";
    }
  }

  private final Path file;
  private final String defaultName;
  private final Map<String, Profile> profiles;

  private Profiles(Path file, String defaultName, Map<String, Profile> profiles) {
    this.file = file;
    this.defaultName = defaultName;
    this.profiles = profiles;
  }

  /**
   * The config file of {@code env}'s user; none (empty) when it does not exist.
   *
   * @throws CliException (configuration) for a loose, unreadable or malformed file, or a secret in
   *     clear
   */
  static Profiles load(Function<String, String> env) {
    return load(StateDirs.config(env));
  }

  static Profiles load(Path file) {
    if (!Files.exists(file)) {
      return new Profiles(file, null, Map.of());
    }
    refuseLoose(file);
    JsonNode root;
    try {
      root = new YAMLMapper().readTree(Files.readString(file));
    } catch (IOException | RuntimeException e) {
      throw config(file, "cannot be read as YAML (" + e.getMessage() + ")");
    }
    var profiles = new LinkedHashMap<String, Profile>();
    JsonNode all = root == null ? null : root.get("profiles");
    if (all != null && all.isObject()) {
      for (var entry : all.properties()) {
        var values = new LinkedHashMap<String, String>();
        for (var v : entry.getValue().properties()) {
          if (!v.getValue().isValueNode()) {
            throw config(
                file, "profile '" + entry.getKey() + "': '" + v.getKey() + "' is not a value");
          }
          String value = v.getValue().asString();
          if (isSecret(v.getKey()) && !value.startsWith("@env:") && !value.startsWith("@file:")) {
            throw config(
                file,
                "profile '"
                    + entry.getKey()
                    + "': '"
                    + v.getKey()
                    + "' is a secret in clear; write it as @env:VARIABLE or @file:PATH");
          }
          values.put(v.getKey(), value);
        }
        profiles.put(entry.getKey(), new Profile(entry.getKey(), values));
      }
    }
    String def = root != null && root.hasNonNull("default") ? root.get("default").asString() : null;
    if (def != null && !profiles.containsKey(def)) {
      throw config(file, "the default profile '" + def + "' is not among " + profiles.keySet());
    }
    return new Profiles(file, def, profiles);
  }

  static boolean isSecret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return SECRET_WORDS.stream().anyMatch(k::contains);
  }

  /** The profile {@code name}, else the default one, else none (null). */
  Profile choose(String name) {
    if (name == null) {
      return defaultName == null ? null : profiles.get(defaultName);
    }
    Profile p = profiles.get(name);
    if (p == null) {
      throw new CliException(
          ExitCodes.NOT_FOUND,
          "no profile '" + Inputs.shown(name) + "' in " + file + "; profiles: " + profiles.keySet(),
          "opsflow profile list");
    }
    return p;
  }

  Map<String, Profile> all() {
    return profiles;
  }

  String defaultName() {
    return defaultName;
  }

  Path file() {
    return file;
  }

  private static void refuseLoose(Path file) {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      for (PosixFilePermission p : perms) {
        if (p.name().startsWith("GROUP") || p.name().startsWith("OTHERS")) {
          throw config(
              file,
              "may be read or written by other users ("
                  + java.nio.file.attribute.PosixFilePermissions.toString(perms)
                  + "); it names where secrets are: chmod 600 "
                  + file);
        }
      }
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: nothing to compare with ssh's rule.
    } catch (IOException e) {
      throw config(file, "cannot be read (" + e.getMessage() + ")");
    }
  }

  private static CliException config(Path file, String problem) {
    return new CliException(ExitCodes.CONFIGURATION, "config file " + file + " " + problem);
  }
}
