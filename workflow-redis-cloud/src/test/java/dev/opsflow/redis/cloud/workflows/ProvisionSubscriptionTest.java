package dev.opsflow.redis.cloud.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.WorkflowResult;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ProvisionSubscriptionTest {
  private final CloudHarness h = new CloudHarness();

  @AfterEach
  void close() {
    h.close();
  }

  private static Map<String, String> args() {
    var args = new HashMap<String, String>();
    args.putAll(
        Map.of(
            "name",
            "platform",
            "region",
            "us-east-1",
            "deploymentCidr",
            "10.10.0.0/24",
            "databases",
            "cache:2,sessions",
            "replication",
            "true",
            "persistence",
            "snapshot-every-1-hour"));
    args.putAll(
        Map.of(
            "peerAwsAccountId",
            "123456789012",
            "peerVpcId",
            "vpc-0a1b2c3d",
            "peerVpcCidr",
            "172.31.0.0/16"));
    return args;
  }

  @Test
  void createsEveryDatabaseAndThePeeringEndToEnd() {
    WorkflowResult result = h.run("provision-subscription", args());

    assertThat(result.success()).as(result.toJson()).isTrue();
    long id = ((Number) result.outputs().get("subscriptionId")).longValue();
    assertThat(h.mutatingLines())
        .containsExactly("POST /subscriptions", "POST /subscriptions/" + id + "/peerings");
    JsonNode dbs = h.sim.requests("POST", "/subscriptions").get(0).body().get("databases");
    assertThat(dbs.findValuesAsString("name")).containsExactly("cache", "sessions");
    assertThat(dbs.get(0).get("memoryLimitInGb").asDouble()).isEqualTo(2.0);
    assertThat(dbs.get(1).get("dataPersistence").asString()).isEqualTo("snapshot-every-1-hour");
    JsonNode peering = h.sim.requests("POST", "/subscriptions/" + id + "/peerings").get(0).body();
    assertThat(peering.get("vpcId").asString()).isEqualTo("vpc-0a1b2c3d");
    assertThat(peering.get("region").asString()).isEqualTo("us-east-1");
    assertThat((List<?>) result.outputs().get("databases")).hasSize(2);
    assertThat(result.outputs()).containsKey("vpcPeeringId");
    assertThat((List<?>) result.outputs().get("connectivity")).hasSize(2);
  }

  @Test
  void reRunCreatesNothing() {
    h.run("provision-subscription", args());
    int before = h.mutating().size();

    WorkflowResult second = h.run("provision-subscription", args());

    assertThat(second.success()).as(second.toJson()).isTrue();
    assertThat(h.mutating()).hasSize(before);
  }

  @Test
  void peeringEndingInProcessingErrorRollsBackOnlyThisRunsSubscription() {
    h.createDirectly("keep-me", "keep-db");
    h.sim
        .faults()
        .failNextTask(
            "vpcPeeringCreateRequest",
            "VPC_PEERING_INVALID_ACCOUNT",
            "the AWS account does not accept the peering");

    WorkflowResult result =
        h.run("provision-subscription", args(), RunOptions.defaults().withRollback(true));

    assertThat(result.status()).as(result.toJson()).isEqualTo(RunState.ROLLED_BACK);
    assertThat(result.error().details()).containsEntry("errorCode", "VPC_PEERING_INVALID_ACCOUNT");
    assertThat(h.sim.subscriptionNames()).containsExactly("keep-me");
    assertThat(h.sim.databaseNames()).containsExactly("keep-db");
  }

  @Test
  void halfDescribedPeeringIsRefusedBeforeAnyRequest() {
    var args = args();
    args.remove("peerVpcCidr");

    WorkflowResult result = h.run("provision-subscription", args);

    assertThat(result.error().type()).isEqualTo(ErrorKind.VALIDATION);
    assertThat(result.error().message()).contains("peerVpcCidr");
    assertThat(h.mutating()).isEmpty();
  }
}
