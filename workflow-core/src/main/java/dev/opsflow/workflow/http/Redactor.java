package dev.opsflow.workflow.http;

import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.Secret;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Hides secrets in what gets logged or stored: JSON fields, form fields and headers whose names
 * look secret become {@value Secret#MASK}.
 *
 * <p>A name is sensitive when it contains, ignoring case, {@code password}, {@code pass}, {@code
 * secret}, {@code token}, {@code key}, {@code credential} or {@code authorization}; headers {@code
 * Cookie}, {@code Set-Cookie}, {@code x-api-key}, {@code x-api-secret-key} and {@code X-Auth-Token}
 * are always sensitive. The rule errs on the side of hiding (a field named {@code keyspace} is
 * hidden too). The password of a URI in any value ({@code redis://user:password@host:port}, {@code
 * ftp://...}) is hidden too, whatever the field's name. Simulators and stores use it as well as
 * {@link JsonHttpClient}. Stateless and thread-safe.
 */
public final class Redactor {
  private static final List<String> SENSITIVE_PARTS =
      List.of("password", "pass", "secret", "token", "key", "credential", "authorization");
  private static final Set<String> SENSITIVE_HEADERS =
      Set.of("cookie", "set-cookie", "x-api-key", "x-api-secret-key", "x-auth-token");

  // For text that is not valid JSON: "name": "value" / "name": 123, and name=value as in forms.
  private static final Pattern QUOTED_FIELD =
      Pattern.compile("\"([^\"\\\\]{1,100})\"(\\s*:\\s*)(\"(?:[^\"\\\\]|\\\\.)*\"?|[^,}\\]\\s]+)");
  private static final Pattern FORM_FIELD =
      Pattern.compile("(^|[&?\\s])([A-Za-z0-9_.\\-]{1,100})=([^&\\s]*)");

  /** The password part of a URI's user info: {@code scheme://user:PASSWORD@}. */
  private static final Pattern URI_PASSWORD =
      Pattern.compile("([A-Za-z][A-Za-z0-9+.\\-]*://[^:@/\\s\"]*:)[^@/\\s\"]*@");

  private Redactor() {}

  /**
   * Masks the password of each URI in a text ({@code scheme://user:password@}).
   *
   * @param text any text, such as a logged body or an input's value; null for none
   * @return the text with each URI's password replaced by the mask; null for null
   */
  public static String redactUriPasswords(String text) {
    if (text == null || !text.contains("://")) {
      return text;
    }
    return URI_PASSWORD
        .matcher(text)
        .replaceAll("$1" + Matcher.quoteReplacement(Secret.MASK) + "@");
  }

  /**
   * Whether a field or header name looks like it holds a secret.
   *
   * @param name a field or header name
   * @return true for names such as {@code password}, {@code token}, {@code secret}, {@code
   *     Authorization}
   */
  public static boolean isSensitiveName(String name) {
    if (name == null) {
      return false;
    }
    String lower = name.toLowerCase(Locale.ROOT);
    if (SENSITIVE_HEADERS.contains(lower)) {
      return true;
    }
    for (String part : SENSITIVE_PARTS) {
      if (lower.contains(part)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A JSON document with every sensitive field's value (whatever its type) replaced by {@value
   * Secret#MASK}, at any depth, written compactly. Text that is not valid JSON is redacted as
   * {@link #redactText(String)} does. Null gives null.
   *
   * @param json a JSON document, or any text
   * @return the redacted document; text that is not JSON redacted as {@link #redactText} does
   */
  public static String redactJson(String json) {
    if (json == null || json.isBlank()) {
      return json;
    }
    JsonNode tree;
    try {
      tree = Json.mapper().readTree(json);
    } catch (JacksonException e) {
      return redactText(json);
    }
    return Json.mapper().writeValueAsString(redact(tree));
  }

  /**
   * A copy of a JSON tree with every sensitive field's value replaced; the input is unchanged.
   *
   * @param tree a JSON tree
   * @return a redacted copy
   */
  public static JsonNode redact(JsonNode tree) {
    if (tree == null) {
      return null;
    }
    JsonNode copy = tree.deepCopy();
    redactInPlace(copy);
    return copy;
  }

  /**
   * Best-effort redaction of text that is not valid JSON (a truncated body, a form, a log line):
   * values of {@code "name": value} pairs and of {@code name=value} pairs with sensitive names.
   *
   * @param text any text
   * @return the text with the values that look secret replaced by {@value Secret#MASK}
   */
  public static String redactText(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String quoted =
        replace(
            QUOTED_FIELD,
            text,
            m ->
                isSensitiveName(m.group(1))
                    ? "\"" + m.group(1) + "\"" + m.group(2) + "\"" + Secret.MASK + "\""
                    : m.group());
    return replace(
        FORM_FIELD,
        redactUriPasswords(quoted),
        m -> isSensitiveName(m.group(2)) ? m.group(1) + m.group(2) + "=" + Secret.MASK : m.group());
  }

  /**
   * A copy of a header map with the values of sensitive headers replaced by {@value Secret#MASK}.
   * Order and names are kept.
   *
   * @param headers header names and their values
   * @return a copy with the values of sensitive headers masked
   */
  public static Map<String, List<String>> redactHeaders(Map<String, List<String>> headers) {
    var copy = new LinkedHashMap<String, List<String>>();
    if (headers == null) {
      return copy;
    }
    headers.forEach(
        (name, values) -> {
          if (isSensitiveName(name)) {
            copy.put(name, List.of(Secret.MASK));
          } else {
            copy.put(name, values == null ? List.of() : List.copyOf(values));
          }
        });
    return copy;
  }

  /**
   * Replaces each of the given secret values found in a text by {@value Secret#MASK}. Values
   * shorter than four characters are left alone, since masking them would garble the text without
   * protecting anything guessable.
   */
  static String scrub(String text, List<String> secrets) {
    if (text == null) {
      return null;
    }
    String result = text;
    for (String secret : secrets) {
      if (secret != null && secret.length() >= 4) {
        result = result.replace(secret, Secret.MASK);
      }
    }
    return result;
  }

  private static void redactInPlace(JsonNode node) {
    if (node instanceof ObjectNode object) {
      var names = new ArrayList<String>();
      object.propertyNames().forEach(names::add);
      for (String name : names) {
        JsonNode value = object.get(name);
        if (isSensitiveName(name)) {
          object.put(name, Secret.MASK);
        } else if (value != null && value.isString()) {
          String masked = redactUriPasswords(value.asString());
          if (!masked.equals(value.asString())) {
            object.put(name, masked);
          }
        } else {
          redactInPlace(value);
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        JsonNode item = array.get(i);
        if (item.isString()) {
          array.set(i, redactUriPasswords(item.asString()));
        } else {
          redactInPlace(item);
        }
      }
    }
  }

  private static String replace(
      Pattern pattern, String text, Function<Matcher, String> replacement) {
    Matcher m = pattern.matcher(text);
    var sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, Matcher.quoteReplacement(replacement.apply(m)));
    }
    m.appendTail(sb);
    return sb.toString();
  }
}
