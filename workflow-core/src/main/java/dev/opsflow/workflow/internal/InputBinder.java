package dev.opsflow.workflow.internal;

import dev.opsflow.workflow.Input;
import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.ValidationException;
import dev.opsflow.workflow.Workflow;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Validates and converts a run's inputs against the workflow's declarations, before anything runs.
 * Every problem is collected; the error names each input, its value (unless secret) and what is
 * expected.
 */
public final class InputBinder {
  private InputBinder() {}

  /**
   * The inputs as their declared types, defaults applied.
   *
   * @throws ValidationException listing every problem
   */
  public static Map<String, Object> bind(Workflow workflow, Map<String, ?> given) {
    var problems = new ArrayList<String>();
    var out = new LinkedHashMap<String, Object>();
    for (String name : given.keySet()) {
      if (!workflow.inputs().containsKey(name)) {
        problems.add(
            "unknown input '"
                + name
                + "': workflow '"
                + workflow.name()
                + "' takes "
                + (workflow.inputs().isEmpty() ? "no inputs" : workflow.inputs().keySet()));
      }
    }
    for (Input<?> input : workflow.inputs().values()) {
      Object raw = given.get(input.name());
      if (raw == null
          || (raw instanceof String s && s.isEmpty() && input.key().type() != String.class)) {
        if (input.defaultValue() != null) {
          out.put(input.name(), input.defaultValue());
        } else if (input.required()) {
          problems.add("missing input '" + input.name() + "': expected " + expectation(input));
        }
        continue;
      }
      try {
        Object value = convert(input, raw);
        String bad = check(input, value);
        if (bad != null) {
          problems.add(bad);
        } else {
          out.put(input.name(), value);
        }
      } catch (IllegalArgumentException e) {
        problems.add(
            "input '" + input.name() + "': " + show(input, raw) + " is not " + expectation(input));
      }
    }
    if (!problems.isEmpty()) {
      throw new ValidationException(problems);
    }
    return out;
  }

  private static <T> String check(Input<T> input, Object value) {
    if (input.check() == null) {
      return null;
    }
    T typed = input.key().type().cast(value);
    if (!input.check().test(typed)) {
      return "input '"
          + input.name()
          + "': "
          + show(input, value)
          + " is not "
          + input.expectation();
    }
    return null;
  }

  private static String show(Input<?> input, Object value) {
    // A URI's password is a secret even in an input that is not (a location given with one).
    return input.secret()
        ? "the value given (secret)"
        : "'" + dev.opsflow.workflow.http.Redactor.redactUriPasswords(String.valueOf(value)) + "'";
  }

  /** What an input expects, in words: its check's expectation or its type. */
  public static String expectation(Input<?> input) {
    if (input.expectation() != null) {
      return input.expectation();
    }
    return describeType(input.key().type());
  }

  private static String describeType(Class<?> type) {
    if (type == Integer.class || type == Long.class) {
      return "an integer";
    }
    if (type == Double.class) {
      return "a number";
    }
    if (type == Boolean.class) {
      return "true or false";
    }
    if (type == Duration.class) {
      return "a duration such as 30s, 5m, 2h or PT30S";
    }
    if (type == Secret.class) {
      return "a secret value";
    }
    if (type.isEnum()) {
      return "one of " + Arrays.toString(type.getEnumConstants());
    }
    if (type == List.class) {
      return "a list (comma-separated)";
    }
    return "a " + type.getSimpleName();
  }

  /**
   * {@code raw} as the input's type: strings are parsed (the registry's key=value arguments), other
   * values converted by Jackson.
   *
   * @throws IllegalArgumentException when it cannot be
   */
  public static Object convert(Input<?> input, Object raw) {
    Class<?> type = input.key().type();
    if (type.isInstance(raw)) {
      return raw;
    }
    if (type == Secret.class) {
      if (raw instanceof String s) {
        return Secret.of(s);
      }
      throw new IllegalArgumentException("not a secret");
    }
    if (raw instanceof String s) {
      return parse(type, s.trim());
    }
    try {
      return Json.mapper().convertValue(raw, type);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object parse(Class<?> type, String s) {
    if (type == String.class) {
      return s;
    }
    if (type == Integer.class) {
      return Integer.valueOf(s);
    }
    if (type == Long.class) {
      return Long.valueOf(s);
    }
    if (type == Double.class) {
      return Double.valueOf(s);
    }
    if (type == Boolean.class) {
      return switch (s.toLowerCase(Locale.ROOT)) {
        case "true", "yes", "on", "1" -> true;
        case "false", "no", "off", "0" -> false;
        default -> throw new IllegalArgumentException("not a boolean");
      };
    }
    if (type == Duration.class) {
      return parseDuration(s);
    }
    if (type == Path.class) {
      return Path.of(s);
    }
    if (type == URI.class) {
      return URI.create(s);
    }
    if (type.isEnum()) {
      for (Object c : type.getEnumConstants()) {
        if (((Enum) c).name().equalsIgnoreCase(s.replace('-', '_'))) {
          return c;
        }
      }
      throw new IllegalArgumentException("not a constant");
    }
    if (type == List.class) {
      return s.isEmpty() ? List.of() : Arrays.stream(s.split(",")).map(String::trim).toList();
    }
    try {
      return Json.mapper().readValue(s, type);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** Parses {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}, {@code 250ms} or ISO-8601. */
  public static Duration parseDuration(String s) {
    var m = java.util.regex.Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)").matcher(s);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(s);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a duration", e);
    }
  }
}
