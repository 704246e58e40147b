package dev.opsflow.examples;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as an operator writes them: {@code 300} (seconds), {@code 500ms}, {@code 30s}, ... */
final class Durations {
  private static final Pattern SIMPLE = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)?");

  private Durations() {}

  /**
   * {@code 300} (seconds, as redisctl's {@code --wait-timeout 300}), {@code 500ms}, {@code 30s},
   * {@code 5m}, {@code 2h}, {@code 7d} or ISO-8601 ({@code PT5M}); more than zero.
   *
   * @throws CliException (usage) naming {@code option} and the value
   */
  static Duration parse(String option, String value) {
    String v = value == null ? "" : value.trim();
    Duration d = null;
    Matcher m = SIMPLE.matcher(v);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "s" : m.group(2);
      d =
          switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
          };
    } else if (v.toUpperCase(java.util.Locale.ROOT).startsWith("P")) {
      try {
        d = Duration.parse(v);
      } catch (DateTimeParseException e) {
        d = null;
      }
    }
    if (d == null || d.isZero() || d.isNegative()) {
      throw CliException.usage(
          option
              + ": '"
              + Inputs.shown(v)
              + "' is not a duration above zero (300 = 300 seconds, 500ms, 30s, 5m, 2h, 7d,"
              + " PT5M)");
    }
    return d;
  }
}
