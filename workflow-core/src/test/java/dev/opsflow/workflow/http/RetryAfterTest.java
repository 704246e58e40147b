package dev.opsflow.workflow.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
  private static final Instant NOW = Instant.parse("2025-01-01T10:00:00Z");

  @Test
  void parsesDeltaSecondsAndHttpDates() {
    assertThat(RetryAfter.parse("30", NOW)).contains(Duration.ofSeconds(30));
    assertThat(RetryAfter.parse("1.5", NOW)).contains(Duration.ofMillis(1500));
    assertThat(RetryAfter.parse("Wed, 01 Jan 2025 10:01:30 GMT", NOW))
        .contains(Duration.ofSeconds(90));
    assertThat(RetryAfter.parse("Wed, 01 Jan 2025 09:00:00 GMT", NOW)).contains(Duration.ZERO);
  }

  @Test
  void ignoresWhatItCannotRead() {
    assertThat(RetryAfter.parse("soon", NOW)).isEmpty();
    assertThat(RetryAfter.parse("-3", NOW)).isEmpty();
    assertThat(RetryAfter.parse("", NOW)).isEmpty();
  }

  @Test
  void standardHeaderWinsOverRedisCloudHeader() {
    var response =
        new HttpResponseData(
            "GET",
            "/x",
            429,
            Map.of(
                "retry-after", List.of("2"),
                "X-Rate-Limit-Retry-After-Seconds", List.of("9")),
            "");

    assertThat(RetryAfter.from(response, NOW)).contains(Duration.ofSeconds(2));
  }
}
