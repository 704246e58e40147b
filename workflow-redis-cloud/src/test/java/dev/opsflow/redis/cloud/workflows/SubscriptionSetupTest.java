package dev.opsflow.redis.cloud.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.WorkflowResult;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SubscriptionSetupTest {
  private final CloudHarness h = new CloudHarness();

  @AfterEach
  void close() {
    h.close();
  }

  private static Map<String, String> args() {
    return Map.of("name", "prod", "region", "us-east-1", "deployment-cidr", "10.0.0.0/24");
  }

  @Test
  void freshRunCreatesSubscriptionWithItsDatabaseAndPingsIt() {
    WorkflowResult result = h.run("subscription-setup", args());

    assertThat(result.success()).as(result.toJson()).isTrue();
    assertThat(result.status()).isEqualTo(RunState.COMPLETED);
    assertThat(result.outputs()).containsKeys("subscriptionId", "databaseId", "endpoint");
    assertThat(h.mutatingLines()).containsExactly("POST /subscriptions");
    assertThat(h.sim.databaseNames()).containsExactly("prod-db");
  }
}
