package dev.opsflow.hardware.provisioning;

import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.ValidationException;
import dev.opsflow.workflow.spi.ExecutionStore;
import dev.opsflow.workflow.spi.SecretResolver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A batch's servers from a CSV file, each with its own device type and BMC credentials:
 *
 * <pre>
 * systemId,deviceType,bmcAddress,bmcUsername,bmcPasswordRef
 * 4y3ha3,a1.c5.large,10.0.0.5,root,@env:BMC_PW_4Y3HA3
 * 4y3ha4,d1.c2.medium,10.0.0.6:8443,admin,@file:secrets/4y3ha4.pw
 * </pre>
 *
 * <p>The header names the columns (any order; all five required). Lines starting with {@code #} and
 * blank lines are skipped; a field may be double-quoted. A password is never in the file: {@code
 * bmcPasswordRef} is {@code @env:NAME} (an environment variable) or {@code @file:PATH} (a file,
 * relative to the CSV's directory, its content stripped); a password in clear is refused. Every
 * problem is reported at once, naming the file, line and column, never a secret. Immutable.
 */
public final class ServerInventory {
  /** The columns, in the documented order. */
  public static final List<String> COLUMNS =
      List.of("systemId", "deviceType", "bmcAddress", "bmcUsername", "bmcPasswordRef");

  private final String source;
  private final List<BatchCommissioning.Server> servers;

  private ServerInventory(String source, List<BatchCommissioning.Server> servers) {
    this.source = source;
    this.servers = List.copyOf(servers);
  }

  /**
   * Reads {@code file}, resolving {@code @env:} from the process environment.
   *
   * @param file the inventory (CSV)
   * @return the inventory
   * @throws ValidationException naming each bad line and column
   */
  public static ServerInventory read(Path file) {
    return read(file, System::getenv);
  }

  /**
   * Reads {@code file}, resolving {@code @env:NAME} with {@code env} (null: not set).
   *
   * @param file the inventory (CSV)
   * @param env resolves an environment variable's name to its value
   * @return the inventory
   */
  public static ServerInventory read(Path file, UnaryOperator<String> env) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read server inventory " + file, e);
    }
    Path dir = file.toAbsolutePath().getParent();
    return parse(file.toString(), text, env, dir);
  }

  /**
   * Parses CSV text.
   *
   * @param source names the text in errors (the file name)
   * @param csv the inventory as CSV text
   * @param env resolves {@code @env:NAME}
   * @param baseDir where {@code @file:} paths are relative to
   * @return the inventory
   */
  public static ServerInventory parse(
      String source, String csv, UnaryOperator<String> env, Path baseDir) {
    var problems = new ArrayList<String>();
    var servers = new ArrayList<BatchCommissioning.Server>();
    Map<String, Integer> columns = null;
    var ids = new HashSet<String>();
    String[] lines = csv.split("\\R", -1);
    for (int n = 1; n <= lines.length; n++) {
      String line = lines[n - 1];
      if (line.isBlank() || line.stripLeading().startsWith("#")) {
        continue;
      }
      String at = source + ":" + n;
      List<String> fields = fields(line);
      if (columns == null) {
        columns = header(at, fields, problems);
        if (columns == null) {
          break;
        }
        continue;
      }
      if (fields.size() != columns.size()) {
        problems.add(
            at + ": " + fields.size() + " fields; expected " + columns.size() + " " + COLUMNS);
        continue;
      }
      String id = fields.get(columns.get("systemId")).strip();
      String type = fields.get(columns.get("deviceType")).strip();
      String address = fields.get(columns.get("bmcAddress")).strip();
      String user = fields.get(columns.get("bmcUsername")).strip();
      String ref = fields.get(columns.get("bmcPasswordRef")).strip();
      int before = problems.size();
      if (!id.matches("[a-z0-9]{1,32}")) {
        problems.add(at + ": systemId '" + id + "' is not a MAAS system id (a-z, 0-9)");
      } else if (!ids.add(id)) {
        problems.add(at + ": systemId '" + id + "' is listed twice");
      }
      if (type.isEmpty()) {
        problems.add(at + ": deviceType is empty; expected a device type of the catalog");
      }
      if (address.isEmpty()) {
        problems.add(at + ": bmcAddress is empty; expected a host or host:port");
      }
      if (user.isEmpty()) {
        problems.add(at + ": bmcUsername is empty");
      }
      Secret password = secret(at, ref, env, baseDir, problems);
      if (problems.size() == before) {
        servers.add(new BatchCommissioning.Server(id, address, user, password, type));
      }
    }
    if (columns == null && problems.isEmpty()) {
      problems.add(source + ": no header line; expected " + String.join(",", COLUMNS));
    } else if (columns != null && servers.isEmpty() && problems.isEmpty()) {
      problems.add(source + ": no server listed");
    }
    if (!problems.isEmpty()) {
      throw new ValidationException(problems);
    }
    return new ServerInventory(source, servers);
  }

  private static Map<String, Integer> header(
      String at, List<String> fields, List<String> problems) {
    var columns = new LinkedHashMap<String, Integer>();
    for (int i = 0; i < fields.size(); i++) {
      String name = fields.get(i).strip();
      if (!COLUMNS.contains(name)) {
        problems.add(at + ": unknown column '" + name + "'; expected " + COLUMNS);
      } else if (columns.put(name, i) != null) {
        problems.add(at + ": column '" + name + "' is named twice");
      }
    }
    for (String c : COLUMNS) {
      if (!columns.containsKey(c)) {
        problems.add(at + ": column '" + c + "' is missing from the header");
      }
    }
    return problems.isEmpty() ? columns : null;
  }

  private static Secret secret(
      String at, String ref, UnaryOperator<String> env, Path baseDir, List<String> problems) {
    if (ref.startsWith("@env:")) {
      String name = ref.substring(5);
      String value = name.isEmpty() ? null : env.apply(name);
      if (value == null || value.isEmpty()) {
        problems.add(at + ": bmcPasswordRef: environment variable '" + name + "' is not set");
        return null;
      }
      return Secret.of(value);
    }
    if (ref.startsWith("@file:")) {
      Path file = baseDir == null ? Path.of(ref.substring(6)) : baseDir.resolve(ref.substring(6));
      try {
        String value = Files.readString(file).strip();
        if (value.isEmpty()) {
          problems.add(at + ": bmcPasswordRef: file " + file + " is empty");
          return null;
        }
        return Secret.of(value);
      } catch (IOException e) {
        problems.add(at + ": bmcPasswordRef: cannot read file " + file + " (" + e + ")");
        return null;
      }
    }
    problems.add(
        at
            + ": bmcPasswordRef must be @env:NAME or @file:PATH; a password in clear is refused"
            + " (the value is not shown)");
    return null;
  }

  /** The fields of one CSV line: comma-separated, double quotes around a field with commas. */
  static List<String> fields(String line) {
    var out = new ArrayList<String>();
    var field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    out.add(field.toString());
    return out;
  }

  /** {@return where the inventory came from} */
  public String source() {
    return source;
  }

  /** {@return the servers, in the file's order, each with its own credentials and device type} */
  public List<BatchCommissioning.Server> servers() {
    return servers;
  }

  /**
   * Gives a resumed run of this inventory's batch its server's BMC password again (stores never
   * hold secrets): it reads the run's {@code systemId} from {@code store} and answers that server's
   * {@code bmcPassword}; any other secret comes from {@code fallback}.
   *
   * @param store the store the batch's runs are kept in
   * @param fallback asked for the secrets this inventory does not give
   * @return the resolver
   */
  public SecretResolver secretResolver(ExecutionStore store, SecretResolver fallback) {
    Map<String, Secret> byId = new LinkedHashMap<>();
    servers.forEach(s -> byId.put(s.systemId(), s.bmcPassword()));
    return (workflow, runId, inputName) -> {
      if (inputName.equals(ProvisioningKeys.BMC_PASSWORD.name())) {
        Optional<Secret> own =
            store
                .find(runId)
                .map(r -> r.inputs().get(ProvisioningKeys.SYSTEM_ID.name()))
                .map(id -> byId.get(String.valueOf(id)));
        if (own.isPresent()) {
          return own;
        }
      }
      return fallback.resolve(workflow, runId, inputName);
    };
  }
}
