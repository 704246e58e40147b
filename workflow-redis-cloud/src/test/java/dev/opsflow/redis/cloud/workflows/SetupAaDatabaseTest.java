package dev.opsflow.redis.cloud.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.WorkflowResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SetupAaDatabaseTest {
  private final CloudHarness h = new CloudHarness();

  @AfterEach
  void close() {
    h.close();
  }

  private static Map<String, String> args(String regions) {
    return Map.of(
        "name",
        "global",
        "regions",
        regions,
        "writeOps",
        "2000",
        "readOps",
        "3000",
        "memoryGb",
        "2");
  }

  @Test
  void createsAnActiveActiveDatabaseAcrossRegionsAndPingsEveryRegion() {
    WorkflowResult result =
        h.run("setup-aa-database", args("us-east-1=10.0.1.0/24,eu-west-1=10.0.2.0/24"));

    assertThat(result.success()).as(result.toJson()).isTrue();
    JsonNode body = h.sim.requests("POST", "/subscriptions").get(0).body();
    assertThat(body.get("deploymentType").asString()).isEqualTo("active-active");
    JsonNode regions = body.get("cloudProviders").get(0).get("regions");
    assertThat(regions.findValuesAsString("region")).containsExactly("us-east-1", "eu-west-1");
    assertThat(regions.findValuesAsString("deploymentCIDR"))
        .containsExactly("10.0.1.0/24", "10.0.2.0/24");
    JsonNode db = body.get("databases").get(0);
    assertThat(db.get("replication").asBoolean()).isTrue();
    assertThat(db.get("localThroughputMeasurement")).hasSize(2);
    assertThat(db.get("localThroughputMeasurement").get(1).get("readOperationsPerSecond").asLong())
        .isEqualTo(3000);
    assertThat((List<?>) result.outputs().get("regions")).hasSize(2);
    assertThat((List<?>) result.outputs().get("connectivity")).hasSize(2);
  }

  @Test
  void reRunCreatesNothing() {
    h.run("setup-aa-database", args("us-east-1=10.0.1.0/24,eu-west-1=10.0.2.0/24"));

    WorkflowResult second =
        h.run("setup-aa-database", args("us-east-1=10.0.1.0/24,eu-west-1=10.0.2.0/24"));

    assertThat(second.success()).as(second.toJson()).isTrue();
    assertThat(h.mutating()).hasSize(1);
  }

  @Test
  void overlappingCidrsAreRefusedBeforeAnyRequest() {
    WorkflowResult result =
        h.run("setup-aa-database", args("us-east-1=10.0.1.0/24,eu-west-1=10.0.1.0/24"));

    assertThat(result.error().type()).isEqualTo(ErrorKind.VALIDATION);
    assertThat(result.error().message()).contains("overlaps");
    assertThat(h.mutating()).isEmpty();
  }

  @Test
  void oneRegionIsNotActiveActive() {
    WorkflowResult result = h.run("setup-aa-database", args("us-east-1=10.0.1.0/24"));

    assertThat(result.error().message()).contains("two or more");
    assertThat(h.sim.requests()).isEmpty();
  }
}
