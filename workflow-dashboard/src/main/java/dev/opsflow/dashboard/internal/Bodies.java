package dev.opsflow.dashboard.internal;

import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.ValidationException;
import dev.opsflow.workflow.internal.InputBinder;
import dev.opsflow.workflow.spi.RunQuery;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Reads the parts of request bodies and query strings, each checked with an error that names the
 * field, the value and what is expected. Stateless.
 */
final class Bodies {
  private static final Pattern INPUT_NAME = Pattern.compile("input '([^']+)'");
  private static final int MAX_INPUTS = 200;

  private Bodies() {}

  /** The {@code inputs} object as plain values, for the engine to validate and convert. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> inputs(JsonNode node) {
    if (node == null || node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw HttpError.badRequest("'inputs' must be a JSON object of input names to values");
    }
    if (node.size() > MAX_INPUTS) {
      throw HttpError.badRequest("'inputs' must have at most " + MAX_INPUTS + " entries");
    }
    return Json.mapper().convertValue(node, LinkedHashMap.class);
  }

  /** The {@code options} object: dryRun, rollbackOnFailure, idempotencyKey, timeout. */
  static RunOptions runOptions(JsonNode node) {
    RunOptions o = RunOptions.defaults();
    if (node == null || node.isNull()) {
      return o;
    }
    if (!node.isObject()) {
      throw HttpError.badRequest("'options' must be a JSON object");
    }
    try {
      if (node.has("dryRun")) {
        o = o.withDryRun(bool(node, "options.dryRun"));
      }
      if (node.has("rollbackOnFailure")) {
        o = o.withRollback(bool(node, "options.rollbackOnFailure"));
      }
      if (node.hasNonNull("idempotencyKey")) {
        o = o.withIdempotencyKey(text(node.get("idempotencyKey"), "options.idempotencyKey", 500));
      }
      if (node.hasNonNull("timeout")) {
        String t = text(node.get("timeout"), "options.timeout", 50);
        try {
          o = o.withTimeout(InputBinder.parseDuration(t));
        } catch (IllegalArgumentException e) {
          throw HttpError.badRequest(
              "options.timeout '" + t + "' is not a duration such as 30s, 5m, 2h or PT30S");
        }
      }
    } catch (IllegalArgumentException e) {
      throw HttpError.badRequest("options: " + e.getMessage());
    }
    return o;
  }

  private static boolean bool(JsonNode node, String field) {
    String name = field.substring(field.indexOf('.') + 1);
    JsonNode v = node.get(name);
    if (!v.isBoolean()) {
      throw HttpError.badRequest(field + " must be true or false, was " + v);
    }
    return v.booleanValue();
  }

  static String text(JsonNode v, String field, int maxLength) {
    if (v == null || !v.isString() || v.stringValue().isBlank()) {
      throw HttpError.badRequest(field + " must be a non-empty string");
    }
    if (v.stringValue().length() > maxLength) {
      throw HttpError.badRequest(field + " must be at most " + maxLength + " characters");
    }
    return v.stringValue();
  }

  /** A validation failure of the engine, as a 400 naming every input concerned. */
  static HttpError invalid(ValidationException e) {
    var names = new LinkedHashSet<String>();
    for (String p : e.problems()) {
      Matcher m = INPUT_NAME.matcher(p);
      while (m.find()) {
        names.add(m.group(1));
      }
    }
    return new HttpError(
        400,
        "VALIDATION",
        e.getMessage(),
        Map.of("problems", e.problems(), "inputs", List.copyOf(names)));
  }

  static int limit(String raw, int dflt, int max) {
    if (raw == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(raw);
      if (n >= 1 && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // falls through to the error
    }
    throw HttpError.badRequest("limit '" + raw + "' must be an integer from 1 to " + max);
  }

  static RunState state(String raw) {
    try {
      return RunState.valueOf(raw.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw HttpError.badRequest(
          "state '" + raw + "' must be one of " + Arrays.toString(RunState.values()));
    }
  }

  static Instant instant(String field, String raw) {
    if (raw == null) {
      return null;
    }
    try {
      return Instant.parse(raw);
    } catch (DateTimeParseException e) {
      throw HttpError.badRequest(
          field + " '" + raw + "' must be an ISO-8601 instant such as 2026-01-15T10:30:00Z");
    }
  }

  /** The opaque {@code next} of a history page: the last run's creation time and id. */
  static String cursor(RunQuery.Cursor c) {
    String plain = c.createdAt() + "|" + c.runId();
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  static RunQuery.Cursor cursor(String raw) {
    if (raw == null) {
      return null;
    }
    try {
      String plain = new String(Base64.getUrlDecoder().decode(raw), StandardCharsets.UTF_8);
      int bar = plain.indexOf('|');
      return new RunQuery.Cursor(Instant.parse(plain.substring(0, bar)), plain.substring(bar + 1));
    } catch (RuntimeException e) {
      throw HttpError.badRequest(
          "after '" + raw + "' is not a cursor: pass the 'next' of the previous page as it is");
    }
  }
}
