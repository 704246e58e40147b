package dev.opsflow.examples;

import dev.opsflow.workflow.Input;
import dev.opsflow.workflow.Workflow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A workflow's inputs as given on the command line, read and checked before anything runs: {@code
 * key=value}, redisctl's spellings ({@code --cluster-name NAME}: any {@code --kebab-name VALUE} is
 * the input {@code kebabName}, a flag with no value is {@code true}), and references for secrets
 * ({@code @env:VAR}, {@code @file:PATH}, {@code @prompt}). Every problem is a usage error naming
 * the input; a secret is never shown.
 */
final class Inputs {
  /** The longest value taken; longer ones are refused, and shown cut. */
  static final int MAX_VALUE_LENGTH = 8192;

  private static final int SHOWN = 60;
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.]{0,99}");
  private static final Pattern KEBAB = Pattern.compile("--[a-z][a-z0-9]*(-[a-z0-9]+)*");

  /** A prompt for a secret: the console's, or none (not a terminal). */
  interface SecretPrompt {
    /** The secret typed for {@code input}, or null when no one can be asked. */
    String ask(String input);

    static SecretPrompt console() {
      return input -> {
        var console = System.console();
        if (console == null) {
          return null;
        }
        char[] typed = console.readPassword("%s: ", input);
        return typed == null ? null : new String(typed);
      };
    }
  }

  private Inputs() {}

  /** {@code value}, cut to 60 characters when longer (with its length). */
  static String shown(String value) {
    if (value.length() <= SHOWN) {
      return value;
    }
    return value.substring(0, SHOWN) + "... (" + value.length() + " characters)";
  }

  /** {@code --cluster-name} → {@code clusterName}. */
  static String camel(String flag) {
    var sb = new StringBuilder();
    boolean up = false;
    for (char c : flag.substring(2).toCharArray()) {
      if (c == '-') {
        up = true;
      } else {
        sb.append(up ? Character.toUpperCase(c) : c);
        up = false;
      }
    }
    return sb.toString();
  }

  /**
   * The tokens as raw {@code name → value} pairs, in order.
   *
   * @throws CliException (usage) for a token that is neither, a blank or malformed name, a name
   *     given twice, or a value over {@link #MAX_VALUE_LENGTH}
   */
  static Map<String, String> raw(List<String> tokens) {
    var values = new LinkedHashMap<String, String>();
    var problems = new ArrayList<String>();
    for (int i = 0; i < tokens.size(); i++) {
      String t = tokens.get(i);
      String name;
      String value;
      if (t.startsWith("--") && t.indexOf('=') > 2) {
        // --database-name=cache, as picocli takes its own options
        int eq = t.indexOf('=');
        tokens = new ArrayList<>(tokens);
        tokens.set(i, t.substring(0, eq));
        tokens.add(i + 1, t.substring(eq + 1));
        t = tokens.get(i);
      }
      if (t.startsWith("--")) {
        if (!KEBAB.matcher(t).matches()) {
          problems.add("unknown option '" + shown(t) + "' (see --help)");
          continue;
        }
        name = camel(t);
        boolean hasValue =
            i + 1 < tokens.size()
                && !tokens.get(i + 1).startsWith("--")
                && !tokens.get(i + 1).contains("=");
        value = hasValue ? tokens.get(++i) : "true";
      } else {
        int eq = t.indexOf('=');
        if (eq < 0) {
          problems.add(
              "argument '"
                  + shown(t)
                  + "' is not key=value (inputs are name=value or --kebab-name value)");
          continue;
        }
        name = t.substring(0, eq);
        value = t.substring(eq + 1);
        if (name.isBlank()) {
          problems.add("argument '" + shown(t) + "' has no input name before '='");
          continue;
        }
      }
      if (!NAME.matcher(name).matches()) {
        problems.add("input name '" + shown(name) + "' is not a name (letters, digits, _)");
        continue;
      }
      if (value.length() > MAX_VALUE_LENGTH) {
        problems.add(
            "input '"
                + name
                + "': the value is "
                + value.length()
                + " characters, more than "
                + MAX_VALUE_LENGTH
                + " ('"
                + shown(value)
                + "')");
        continue;
      }
      String before = values.putIfAbsent(name, value);
      if (before != null) {
        problems.add(
            "input '"
                + name
                + "' is given twice ('"
                + shown(before)
                + "' and '"
                + shown(value)
                + "'): give it once");
      }
    }
    if (!problems.isEmpty()) {
      throw new CliException(ExitCodes.USAGE, String.join("; ", problems), List.of(), null);
    }
    return values;
  }

  /**
   * Resolves references in {@code raw} for {@code workflow}: a secret input must be a reference
   * ({@code @env:VAR}, {@code @file:PATH}, {@code @prompt}), never clear text; a required secret
   * missing, and not {@code provided} by the target, is asked for when a terminal can answer.
   *
   * @throws CliException (usage) naming each input that is wrong
   */
  static Map<String, String> resolve(
      Workflow workflow,
      Map<String, String> raw,
      Function<String, String> env,
      SecretPrompt prompt,
      Set<String> provided) {
    var out = new LinkedHashMap<String, String>();
    var problems = new LinkedHashSet<String>();
    Set<String> secrets = secretNames(workflow);
    for (var e : raw.entrySet()) {
      String name = e.getKey();
      String v = e.getValue();
      boolean reference = v.startsWith("@env:") || v.startsWith("@file:") || v.equals("@prompt");
      if (secrets.contains(name) && !reference) {
        problems.add(secretInClear(name));
        continue;
      }
      try {
        out.put(name, reference ? dereference(name, v, env, prompt) : v);
      } catch (CliException bad) {
        problems.add(bad.getMessage());
      }
    }
    for (Input<?> input : workflow.inputs().values()) {
      if (input.secret()
          && input.required()
          && !out.containsKey(input.name())
          && !provided.contains(input.name())) {
        String typed = prompt.ask(input.name());
        if (typed != null) {
          out.put(input.name(), typed);
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new CliException(ExitCodes.USAGE, String.join("; ", problems), List.of(), null);
    }
    return out;
  }

  static String secretInClear(String name) {
    return "input '"
        + name
        + "' is a secret and is never taken in clear on the command line (other users see it in"
        + " the process list and the shell history): give "
        + name
        + "=@env:VARIABLE, "
        + name
        + "=@file:PATH or "
        + name
        + "=@prompt (asked on the terminal)";
  }

  static Set<String> secretNames(Workflow workflow) {
    var names = new LinkedHashSet<String>();
    for (Input<?> input : workflow.inputs().values()) {
      if (input.secret()) {
        names.add(input.name());
      }
    }
    return names;
  }

  /**
   * The value {@code ref} (a {@code @env:}, {@code @file:} or {@code @prompt} reference, or clear).
   */
  static String dereference(
      String name, String ref, Function<String, String> env, SecretPrompt prompt) {
    if (!ref.startsWith("@")) {
      return ref;
    }
    if (ref.startsWith("@env:")) {
      String var = ref.substring(5);
      String v = var.isEmpty() ? null : env.apply(var);
      if (v == null) {
        throw CliException.usage(
            "input '" + name + "': environment variable " + shown(var) + " is not set");
      }
      return v;
    }
    if (ref.startsWith("@file:")) {
      Path file = Path.of(ref.substring(6));
      try {
        return Files.readString(file, StandardCharsets.UTF_8).strip();
      } catch (IOException | RuntimeException e) {
        throw CliException.usage(
            "input '"
                + name
                + "': cannot read the file "
                + shown(file.toString())
                + " ("
                + e
                + ")");
      }
    }
    String typed = prompt.ask(name);
    if (typed == null) {
      throw CliException.usage(
          "input '" + name + "': @prompt needs a terminal; give @env:VARIABLE or @file:PATH");
    }
    return typed;
  }
}
