package dev.opsflow.redis.cloud.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.redis.cloud.testing.SimulatorSettings;
import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.testing.RedisEndpoint;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RollbackTest {
  private final CloudHarness h =
      new CloudHarness(
          SimulatorSettings.defaults().withEndpoints(RollbackTest::deadEndpoint), b -> b);

  @AfterEach
  void close() {
    h.close();
  }

  /** An endpoint nobody listens on, so the connectivity check fails. */
  private static RedisEndpoint deadEndpoint(String password, SSLContext tls, int fixedPort) {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return new RedisEndpoint() {
      @Override
      public int port() {
        return port;
      }

      @Override
      public String kind() {
        return "dead";
      }

      @Override
      public void close() {}
    };
  }

  @Test
  void failedRunWithRollbackDeletesTheSubscriptionItCreatedAndNothingElse() {
    long keep = h.createDirectly("keep-me", "keep-db");
    h.sim.clearRequests();

    WorkflowResult result =
        h.run(
            "subscription-setup",
            Map.of("name", "prod", "region", "us-east-1"),
            RunOptions.defaults().withRollback(true));

    assertThat(result.status()).as(result.toJson()).isEqualTo(RunState.ROLLED_BACK);
    assertThat(result.error().step()).isEqualTo("verify-connectivity");
    assertThat(h.sim.subscriptionNames()).containsExactly("keep-me");
    assertThat(h.sim.databaseNames()).containsExactly("keep-db");
    long created = ((Number) result.outputs().get("subscriptionId")).longValue();
    assertThat(h.mutatingLines())
        .filteredOn(l -> l.startsWith("DELETE"))
        .isNotEmpty()
        .allMatch(l -> l.startsWith("DELETE /subscriptions/" + created))
        .noneMatch(l -> l.contains(String.valueOf(keep)));
  }

  @Test
  void rollbackOfAReusedSubscriptionDeletesOnlyTheDatabaseThisRunAdded() {
    h.createDirectly("prod", "other");

    WorkflowResult result =
        h.run(
            "subscription-setup",
            Map.of("name", "prod", "region", "us-east-1"),
            RunOptions.defaults().withRollback(true));

    assertThat(result.status()).as(result.toJson()).isEqualTo(RunState.ROLLED_BACK);
    assertThat(h.sim.subscriptionNames()).containsExactly("prod");
    assertThat(h.sim.databaseNames()).containsExactly("other");
    assertThat(h.mutatingLines()).filteredOn(l -> l.startsWith("DELETE")).hasSize(1);
  }

  @Test
  void withoutRollbackTheWorkIsKeptAndReportedAsPartial() {
    WorkflowResult result =
        h.run("subscription-setup", Map.of("name", "prod", "region", "us-east-1"));

    assertThat(result.status()).isEqualTo(RunState.PARTIAL);
    assertThat(h.sim.subscriptionNames()).containsExactly("prod");
  }
}
