package dev.opsflow.redis.cloud.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.workflow.ValidationException;
import dev.opsflow.workflow.WorkflowRegistry;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RedisCloudWorkflowsTest {
  private final CloudHarness h = new CloudHarness();

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void registersItsWorkflowsByName() {
    assertThat(h.registry.names())
        .containsExactlyInAnyOrder(
            "subscription-setup",
            "provision-subscription",
            "setup-aa-database",
            "quick-database",
            "migrate-database-to-cloud");
    assertThat(RedisCloudWorkflows.NAMES).containsExactlyInAnyOrderElementsOf(h.registry.names());
    assertThatThrownBy(() -> RedisCloudWorkflows.registerAll(h.registry, h.client))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void describesEveryInputForACli() {
    var setup =
        h.registry.describe().stream()
            .filter(w -> w.name().equals("subscription-setup"))
            .findFirst()
            .orElseThrow();
    assertThat(setup.parameters())
        .extracting(WorkflowRegistry.ParameterSpec::name)
        .contains(
            "name",
            "provider",
            "region",
            "deploymentCidr",
            "memoryGb",
            "modules",
            "replication",
            "persistence",
            "throughputOps",
            "paymentMethodId",
            "enableTls");
  }

  @Test
  void azureAndBadValuesAreRefusedBeforeAnyRequestNamingInputValueAndExpectation() {
    assertThatThrownBy(
            () ->
                h.run(
                    "subscription-setup",
                    Map.of(
                        "name",
                        "prod",
                        "provider",
                        "Azure",
                        "region",
                        "us-east-1",
                        "deploymentCidr",
                        "10.0.0.0/16")))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("provider")
        .hasMessageContaining("'Azure'")
        .hasMessageContaining("AWS or GCP")
        .hasMessageContaining("deploymentCidr")
        .hasMessageContaining("/24");
    assertThat(h.sim.requests()).isEmpty();
  }

  @Test
  void conflictingSizesAreRefusedByThePlanBeforeAnyChange() {
    var result =
        h.run(
            "subscription-setup",
            Map.of("name", "prod", "region", "us-east-1", "memoryGb", "1", "datasetSizeGb", "1"));

    assertThat(result.error().step()).isEqualTo("plan-subscription");
    assertThat(result.error().message()).contains("memoryGb").contains("datasetSizeGb");
    assertThat(h.sim.requests()).isEmpty();
  }
}
