package dev.opsflow.workflow.http;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads how long a server asked us to wait: {@code Retry-After} as delta-seconds or an HTTP date,
 * else Redis Cloud's {@code x-rate-limit-retry-after-seconds}.
 */
final class RetryAfter {
  static final String RETRY_AFTER = "Retry-After";
  static final String RATE_LIMIT_RETRY_AFTER = "x-rate-limit-retry-after-seconds";

  // Keeps absurd values from overflowing; about 31 years.
  private static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(1_000_000_000L);

  private RetryAfter() {}

  static Optional<Duration> from(HttpResponseData response, Instant now) {
    Optional<Duration> standard = response.header(RETRY_AFTER).flatMap(v -> parse(v, now));
    if (standard.isPresent()) {
      return standard;
    }
    return response.header(RATE_LIMIT_RETRY_AFTER).flatMap(RetryAfter::seconds);
  }

  /** Delta-seconds or an HTTP date (RFC 1123); a date in the past gives zero. */
  static Optional<Duration> parse(String value, Instant now) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String trimmed = value.strip();
    if (Character.isDigit(trimmed.charAt(0))) {
      return seconds(trimmed);
    }
    try {
      Instant at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration wait = Duration.between(now, at);
      return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** A non-negative number of seconds, possibly with a fraction. */
  private static Optional<Duration> seconds(String value) {
    try {
      BigDecimal seconds = new BigDecimal(value.strip());
      if (seconds.signum() < 0) {
        return Optional.empty();
      }
      long millis = seconds.min(MAX_SECONDS).movePointRight(3).longValue();
      return Optional.of(Duration.ofMillis(millis));
    } catch (NumberFormatException | ArithmeticException e) {
      return Optional.empty();
    }
  }
}
