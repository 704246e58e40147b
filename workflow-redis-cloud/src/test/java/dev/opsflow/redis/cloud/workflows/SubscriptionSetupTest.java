package dev.opsflow.redis.cloud.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.redis.cloud.testing.RecordedRequest;
import dev.opsflow.redis.cloud.testing.SimulatorSettings;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.StepStatus;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.WorkflowRun;
import dev.opsflow.workflow.event.WorkflowEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SubscriptionSetupTest {
  private CloudHarness h = new CloudHarness();

  @AfterEach
  void close() {
    h.close();
  }

  private static Map<String, String> args() {
    return Map.of("name", "prod", "region", "us-east-1", "deploymentCidr", "10.0.0.0/24");
  }

  private JsonNode createBody() {
    return h.sim.requests("POST", "/subscriptions").get(0).body();
  }

  @Test
  void freshRunCreatesSubscriptionWithItsDatabaseAndPingsIt() {
    WorkflowResult result = h.run("subscription-setup", args());

    assertThat(result.success()).as(result.toJson()).isTrue();
    assertThat(result.status()).isEqualTo(RunState.COMPLETED);
    assertThat(result.outputs()).containsKeys("subscriptionId", "databaseId", "endpoint");
    assertThat(result.outputs().get("connectivity").toString()).contains("PONG");
    assertThat(h.mutatingLines()).containsExactly("POST /subscriptions");
    assertThat(h.sim.databaseNames()).containsExactly("prod-db");
    assertThat(createBody().get("databases")).hasSize(1);
  }

  @Test
  void reRunCreatesNothingAndReportsTheSameIds() {
    WorkflowResult first = h.run("subscription-setup", args());
    WorkflowResult second = h.run("subscription-setup", args());

    assertThat(second.success()).as(second.toJson()).isTrue();
    assertThat(h.sim.requests("POST", "/subscriptions")).hasSize(1);
    assertThat(h.mutating()).hasSize(1);
    assertThat(second.step("create-subscription").orElseThrow().status())
        .isEqualTo(StepStatus.SKIPPED);
    assertThat(second.outputs().get("subscriptionId"))
        .isEqualTo(first.outputs().get("subscriptionId"));
    assertThat(second.outputs().get("databaseId")).isEqualTo(first.outputs().get("databaseId"));
  }

  @Test
  void resumesAHalfDoneSetupByCreatingOnlyTheMissingDatabase() {
    long id = h.createDirectly("prod", "other");
    h.sim.clearRequests();

    WorkflowResult result = h.run("subscription-setup", args());

    assertThat(result.success()).as(result.toJson()).isTrue();
    assertThat(result.outputs().get("subscriptionId")).isEqualTo(id);
    assertThat(h.mutatingLines()).containsExactly("POST /subscriptions/" + id + "/databases");
    assertThat(h.sim.databaseNames()).containsExactlyInAnyOrder("other", "prod-db");
  }

  @Test
  void aReRunWhileAnEarlierCreateIsInFlightWaitsForItInsteadOfCreatingASecond() {
    h.sendCreate("prod", "prod-db");

    WorkflowResult result = h.run("subscription-setup", args());

    assertThat(result.success()).as(result.toJson()).isTrue();
    assertThat(h.sim.requests("POST", "/subscriptions")).hasSize(1);
    assertThat(result.outputs()).containsEntry("subscriptionReused", true);
  }

  @Test
  void sendsEveryOptionTheUserGives() {
    var all = new HashMap<>(args());
    all.putAll(
        Map.of(
            "provider",
            "AWS",
            "multiAz",
            "true",
            "preferredZones",
            "use1-az1",
            "databaseName",
            "cache",
            "memoryGb",
            "2.5",
            "throughputOps",
            "25000",
            "modules",
            "RedisJSON,RediSearch",
            "replication",
            "true",
            "persistence",
            "aof-every-1-second"));
    all.putAll(
        Map.of(
            "redisVersion",
            "7.4",
            "respVersion",
            "resp3",
            "ossCluster",
            "true",
            "averageItemSizeBytes",
            "1000",
            "memoryStorage",
            "ram",
            "paymentMethodId",
            "12345",
            "cloudAccountId",
            "1",
            "protocol",
            "redis"));

    WorkflowResult result = h.run("subscription-setup", all);

    assertThat(result.success()).as(result.toJson()).isTrue();
    JsonNode body = createBody();
    assertThat(body.get("name").asString()).isEqualTo("prod");
    assertThat(body.get("paymentMethodId").asLong()).isEqualTo(12345);
    assertThat(body.get("memoryStorage").asString()).isEqualTo("ram");
    JsonNode provider = body.get("cloudProviders").get(0);
    assertThat(provider.get("cloudAccountId").asLong()).isEqualTo(1);
    JsonNode region = provider.get("regions").get(0);
    assertThat(region.get("multipleAvailabilityZones").asBoolean()).isTrue();
    assertThat(region.get("preferredAvailabilityZones").get(0).asString()).isEqualTo("use1-az1");
    assertThat(region.get("networking").get("deploymentCIDR").asString()).isEqualTo("10.0.0.0/24");
    JsonNode db = body.get("databases").get(0);
    assertThat(db.get("name").asString()).isEqualTo("cache");
    assertThat(db.get("protocol").asString()).isEqualTo("redis");
    assertThat(db.get("memoryLimitInGb").asDouble()).isEqualTo(2.5);
    assertThat(db.get("throughputMeasurement").get("by").asString())
        .isEqualTo("operations-per-second");
    assertThat(db.get("throughputMeasurement").get("value").asLong()).isEqualTo(25000);
    assertThat(db.get("modules").findValuesAsString("name"))
        .containsExactly("RedisJSON", "RediSearch");
    assertThat(db.get("replication").asBoolean()).isTrue();
    assertThat(db.get("dataPersistence").asString()).isEqualTo("aof-every-1-second");
    assertThat(db.get("redisVersion").asString()).isEqualTo("7.4");
    assertThat(db.get("respVersion").asString()).isEqualTo("resp3");
    assertThat(db.get("supportOSSClusterApi").asBoolean()).isTrue();
    assertThat(db.get("averageItemSizeInBytes").asLong()).isEqualTo(1000);
    assertThat(h.sim.requests("GET", "/payment-methods")).isEmpty();
  }

  @Test
  void dryRunSendsNoMutatingRequestAndDescribesTheBody() {
    WorkflowResult result =
        h.run("subscription-setup", args(), RunOptions.defaults().withDryRun(true));

    assertThat(result.dryRun()).isTrue();
    assertThat(h.mutating()).isEmpty();
    assertThat(result.step("create-subscription").orElseThrow().description())
        .contains("POST /subscriptions")
        .contains("\"deploymentCIDR\":\"10.0.0.0/24\"");
  }

  @Test
  void taskEndingInProcessingErrorFailsAtOnceWithTheApiCode() {
    h.sim
        .faults()
        .failNextTask(
            "subscriptionCreateRequest",
            "PLANNER_FAILURE",
            "the planner could not place the databases");
    Instant start = h.clock.instant();

    WorkflowResult result = h.run("subscription-setup", args());

    assertThat(result.status()).isIn(RunState.FAILED, RunState.PARTIAL);
    assertThat(result.error().step()).isEqualTo("await-subscription-task");
    assertThat(result.error().details()).containsEntry("errorCode", "PLANNER_FAILURE");
    assertThat(result.error().message())
        .contains("processing-error")
        .contains("the planner could not place the databases");
    assertThat(Duration.between(start, h.clock.instant())).isLessThan(Duration.ofMinutes(5));
  }

  @Test
  void taskErrorSentAsABareCodeIsReadToo() {
    h.sim.faults().failNextTaskWithCode("SUBSCRIPTION_NETWORKING_CIDR_IS_NOT_SUPPORTED");

    WorkflowResult result = h.run("subscription-setup", args());

    assertThat(result.error().details())
        .containsEntry("errorCode", "SUBSCRIPTION_NETWORKING_CIDR_IS_NOT_SUPPORTED");
  }

  @Test
  void anUnknownRegionIsRefusedBeforeAnyChangeNamingTheChoices() {
    WorkflowResult result =
        h.run("subscription-setup", Map.of("name", "prod", "region", "mars-north-1"));

    assertThat(result.error().type()).isEqualTo(ErrorKind.VALIDATION);
    assertThat(result.error().message()).contains("'mars-north-1'").contains("us-east-1");
    assertThat(h.mutating()).isEmpty();
  }

  @Test
  void taskThatNeverFinishesTimesOutNamingTheTaskAndItsLastStatus() {
    h.close();
    h = new CloudHarness(SimulatorSettings.defaults(), b -> b.taskTimeout(Duration.ofMinutes(10)));
    h.sim.faults().stickNextTask();

    WorkflowResult result = h.run("subscription-setup", args());

    assertThat(result.status()).isIn(RunState.FAILED, RunState.PARTIAL);
    assertThat(result.error().type()).isEqualTo(ErrorKind.TIMEOUT);
    String taskId = h.sim.requests("GET", "/tasks/").get(0).path().substring("/tasks/".length());
    assertThat(result.error().message()).contains(taskId).contains("processing-in-progress");
    assertThat(result.step("await-subscription-task").orElseThrow().status())
        .isEqualTo(StepStatus.TIMEOUT);
  }

  @Test
  void cancellationWhileWaitingForTheTaskEndsTheRun() throws Exception {
    // Only the cancel may end the wait: at the default 30 min of simulated time the stuck task
    // times out about half a second of real time after the first poll, before a slow test
    // thread cancels.
    h.close();
    h = new CloudHarness(SimulatorSettings.defaults(), b -> b.taskTimeout(Duration.ofDays(365)));
    h.sim.faults().stickNextTask();
    var waiting = new CountDownLatch(1);
    h.listeners.add(
        e -> {
          if (e instanceof WorkflowEvent.StepProgress p
              && p.subTask() != null
              && p.subTask().contains("processing-in-progress")) {
            waiting.countDown();
          }
        });
    WorkflowRun run =
        h.registry.start(h.engine, "subscription-setup", args(), RunOptions.defaults());

    assertThat(waiting.await(20, TimeUnit.SECONDS)).isTrue();
    run.cancel();
    WorkflowResult result = run.await(Duration.ofSeconds(20));

    assertThat(result.status()).isEqualTo(RunState.CANCELLED);
    assertThat(result.step("await-subscription-task").orElseThrow().status())
        .isEqualTo(StepStatus.CANCELLED);
  }

  @Test
  void subscriptionPendingAfterItsTaskCompletedIsAwaitedUntilActive() {
    h.close();
    h =
        new CloudHarness(
            SimulatorSettings.defaults().withSubscriptionProvisioning(Duration.ofMinutes(20)),
            b -> b);
    Instant start = h.clock.instant();

    WorkflowResult result = h.run("subscription-setup", args());

    assertThat(result.success()).as(result.toJson()).isTrue();
    assertThat(result.outputs()).containsEntry("subscriptionStatus", "active");
    assertThat(Duration.between(start, h.clock.instant())).isGreaterThan(Duration.ofMinutes(20));
    long polls =
        h.sim.requests().stream()
            .filter(
                r ->
                    r.line().equals("GET /subscriptions/" + result.outputs().get("subscriptionId")))
            .count();
    assertThat(polls).isGreaterThan(5);
  }

  @Test
  void aNewRunAfterOneThatTimedOutWaitingContinuesWithoutCreatingAgain() {
    h.close();
    h =
        new CloudHarness(
            SimulatorSettings.defaults().withSubscriptionProvisioning(Duration.ofMinutes(40)),
            b -> b.resourceTimeout(Duration.ofMinutes(10)));
    WorkflowResult first = h.run("subscription-setup", args());
    assertThat(first.error().type()).isEqualTo(ErrorKind.TIMEOUT);
    assertThat(first.error().step()).isEqualTo("await-subscription-active");

    h.clock.advance(Duration.ofMinutes(30));
    WorkflowResult resumed = h.run("subscription-setup", args());

    assertThat(resumed.success()).as(resumed.toJson()).isTrue();
    assertThat(h.sim.requests("POST", "/subscriptions")).hasSize(1);
    assertThat(resumed.outputs().get("subscriptionId").toString())
        .isEqualTo(first.outputs().get("subscriptionId").toString());
  }

  @Test
  void noPasswordReachesTheResult() {
    WorkflowResult result = h.run("subscription-setup", args());
    String json = result.toJson();

    h.sim.requests().stream()
        .filter(r -> r.line().startsWith("GET /subscriptions/"))
        .map(RecordedRequest::path)
        .forEach(p -> assertThat(json).doesNotContain("password\":\""));
    assertThat(json).doesNotContain("\"password\"");
  }
}
