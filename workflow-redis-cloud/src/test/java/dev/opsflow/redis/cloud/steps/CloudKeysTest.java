package dev.opsflow.redis.cloud.steps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.redis.cloud.client.DatabaseSpec;
import dev.opsflow.redis.cloud.client.LocalThroughput;
import dev.opsflow.redis.cloud.client.ModuleSpec;
import dev.opsflow.redis.cloud.client.SubscriptionCreateRequest;
import dev.opsflow.redis.cloud.client.SubscriptionCreateRequest.CloudProviderSpec;
import dev.opsflow.redis.cloud.client.SubscriptionCreateRequest.NetworkingSpec;
import dev.opsflow.redis.cloud.client.SubscriptionCreateRequest.RegionSpec;
import dev.opsflow.redis.cloud.client.Throughput;
import dev.opsflow.workflow.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Context values go through JSON when a run is stored: they must come back equal. */
class CloudKeysTest {

  @Test
  void thePlanSurvivesTheJsonFormARunIsStoredIn() {
    var plan =
        new SubscriptionCreateRequest(
            "prod",
            null,
            "active-active",
            "credit-card",
            7L,
            "ram",
            null,
            List.of(
                new CloudProviderSpec(
                    "AWS",
                    1L,
                    List.of(
                        new RegionSpec(
                            "us-east-1",
                            true,
                            List.of("use1-az1"),
                            new NetworkingSpec("10.0.1.0/24", null))))),
            List.of(
                new DatabaseSpec(
                    "db",
                    "redis",
                    2.0,
                    null,
                    true,
                    "aof-every-1-second",
                    true,
                    new Throughput("operations-per-second", 1000),
                    List.of(new LocalThroughput("us-east-1", 1000, 1000)),
                    List.of(ModuleSpec.of("RedisJSON")),
                    null,
                    100L,
                    "resp3",
                    "7.4",
                    null,
                    null)),
            null);

    @SuppressWarnings("unchecked")
    Map<String, Object> stored = Json.mapper().convertValue(plan, Map.class);
    SubscriptionCreateRequest restored =
        Json.mapper().convertValue(stored, SubscriptionCreateRequest.class);

    assertThat(restored).isEqualTo(plan);
    assertThat(Json.mapper().writeValueAsString(plan))
        .contains("\"deploymentCIDR\"")
        .contains("\"supportOSSClusterApi\"")
        .doesNotContain("null");
  }
}
