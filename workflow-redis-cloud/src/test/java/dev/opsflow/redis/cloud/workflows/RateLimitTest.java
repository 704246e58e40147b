package dev.opsflow.redis.cloud.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.redis.cloud.testing.RecordedRequest;
import dev.opsflow.redis.cloud.testing.SimulatorSettings;
import dev.opsflow.workflow.WorkflowResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimitTest {
  private static final Map<String, String> ARGS = Map.of("name", "prod", "region", "us-east-1");

  /** The most requests seen in any minute (a sliding window ending at each request). */
  private static long busiestMinute(List<RecordedRequest> requests) {
    long max = 0;
    for (RecordedRequest r : requests) {
      Instant from = r.at().minus(Duration.ofMinutes(1));
      max =
          Math.max(
              max,
              requests.stream()
                  .filter(o -> o.at().isAfter(from) && !o.at().isAfter(r.at()))
                  .count());
    }
    return max;
  }

  @Test
  void aStormOf429sCompletesAndNeverExceedsTheConfiguredRate() {
    try (var h =
        new CloudHarness(
            SimulatorSettings.defaults().withRequestsPerMinute(20), b -> b.requestsPerMinute(20))) {
      h.sim.faults().throttleNextRequests(6, Duration.ofSeconds(15));

      WorkflowResult result = h.run("subscription-setup", ARGS);

      assertThat(result.success()).as(result.toJson()).isTrue();
      assertThat(h.sim.requests()).filteredOn(r -> r.status() == 429).hasSize(6);
      assertThat(busiestMinute(h.sim.requests())).isLessThanOrEqualTo(20);
    }
  }

  @Test
  void aClientFasterThanTheServersLimitIsSlowedByItsRetryAfterAndCompletes() {
    try (var h =
        new CloudHarness(
            SimulatorSettings.defaults().withRequestsPerMinute(10), b -> b.requestsPerMinute(60))) {
      WorkflowResult result = h.run("subscription-setup", ARGS);

      assertThat(result.success()).as(result.toJson()).isTrue();
      assertThat(h.sim.requests()).filteredOn(r -> r.status() == 429).isNotEmpty();
      List<RecordedRequest> served =
          h.sim.requests().stream().filter(r -> r.status() != 429).toList();
      assertThat(busiestMinute(served)).isLessThanOrEqualTo(10);
    }
  }
}
