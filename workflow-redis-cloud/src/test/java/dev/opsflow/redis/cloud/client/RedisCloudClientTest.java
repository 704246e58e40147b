package dev.opsflow.redis.cloud.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.redis.cloud.testing.SimulatorSettings;
import dev.opsflow.workflow.ApiException;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Secret;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RedisCloudClientTest {
  private final ClientFixture f = new ClientFixture();

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void awaitTaskFollowsTheTaskToCompletionAndReturnsTheResourceId() {
    Task task = f.client.createSubscription(ClientFixture.request("a", "db"));
    assertThat(task.status()).isEqualTo("initialized");

    Task done = f.client.awaitTask(f.ctx, task.taskId());

    assertThat(done.isCompleted()).isTrue();
    assertThat(done.resourceId()).isPresent();
    assertThat(f.client.subscription(done.resourceId().get()).orElseThrow().name()).isEqualTo("a");
  }

  @Test
  void processingErrorSentAsAnObjectIsATaskFailedExceptionWithItsParts() {
    f.sim.faults().failNextTask("PLANNER_FAILURE", "no capacity");
    Task task = f.client.createSubscription(ClientFixture.request("a", "db"));

    assertThatThrownBy(() -> f.client.awaitTask(f.ctx, task.taskId()))
        .isInstanceOfSatisfying(
            TaskFailedException.class,
            e -> {
              assertThat(e.errorCode()).isEqualTo("PLANNER_FAILURE");
              assertThat(e.errorType()).isEqualTo("PLANNER_FAILURE");
              assertThat(e.errorStatus()).isEqualTo("400 BAD_REQUEST");
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.description()).isEqualTo("no capacity");
              assertThat(e.taskId()).isEqualTo(task.taskId());
              assertThat(e.retryable()).isFalse();
            });
  }

  @Test
  void processingErrorSentAsAStringIsReadAsTheCode() {
    f.sim.faults().failNextTaskWithCode("DATABASE_NAME_EXISTS");
    Task task = f.client.createSubscription(ClientFixture.request("a", "db"));

    assertThatThrownBy(() -> f.client.awaitTask(f.ctx, task.taskId()))
        .isInstanceOfSatisfying(
            TaskFailedException.class,
            e -> assertThat(e.errorCode()).isEqualTo("DATABASE_NAME_EXISTS"));
  }

  @Test
  void wrongKeysAreAnAuthErrorThatShowsNoKey() {
    var client =
        RedisCloudClient.builder(Secret.of("wrong-key"), Secret.of("wrong-secret"))
            .baseUri(f.sim.baseUri())
            .httpSettings(s -> s.withTrustedPem(f.sim.certificatePem()))
            .clock(f.clock)
            .sleeper(f.clock)
            .build();

    assertThatThrownBy(client::subscriptions)
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(401);
              assertThat(e.kind()).isEqualTo(ErrorKind.AUTH);
              assertThat(e.getMessage())
                  .doesNotContain("wrong-key")
                  .doesNotContain("wrong-secret")
                  .contains("UNAUTHORIZED");
            });
  }

  @Test
  void retries429AfterTheServersRetryAfterHeader() {
    f.sim.faults().throttleNextRequests(3, Duration.ofSeconds(20));
    Instant start = f.clock.instant();

    assertThat(f.client.subscriptions()).isEmpty();

    assertThat(f.sim.requests("GET", "/subscriptions")).hasSize(4);
    assertThat(f.sim.requests().stream().filter(r -> r.status() == 429)).hasSize(3);
    assertThat(Duration.between(start, f.clock.instant()))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void readsAreRetriedOnServerErrorsAndDroppedConnectionsButWritesAreNot() {
    f.sim.faults().failNextRequests(2, 503);
    assertThat(f.client.paymentMethods()).hasSize(1);
    // Three: the JDK client itself retries a GET once on a closed connection.
    f.sim.faults().dropNextConnections(3);
    assertThat(f.client.cloudAccounts()).hasSize(1);
    assertThat(f.sim.requests()).filteredOn(r -> r.status() == 0).hasSize(3);

    f.sim.faults().failNextRequests(1, 503);
    assertThatThrownBy(() -> f.client.createSubscription(ClientFixture.request("a", "db")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(503));
    assertThat(f.sim.requests("POST", "/subscriptions")).hasSize(1);
  }

  @Test
  void keepsUnderItsOwnRequestRate() {
    f.close();
    var g = new ClientFixture(SimulatorSettings.defaults().withRequestsPerMinute(0));
    var client =
        g.sim.clientBuilder().clock(g.clock).sleeper(g.clock).requestsPerMinute(30).build();
    try {
      for (int i = 0; i < 40; i++) {
        client.regions(null);
      }
      List<Instant> times = g.sim.requests().stream().map(r -> r.at()).toList();
      for (int i = 1; i < times.size(); i++) {
        assertThat(Duration.between(times.get(i - 1), times.get(i)))
            .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
      }
    } finally {
      g.close();
    }
  }

  @Test
  void readsTheApisListShapes() {
    assertThat(f.client.regions("AWS")).extracting(Region::provider).containsOnly("AWS");
    assertThat(f.client.cloudAccounts()).extracting(CloudAccount::id).containsExactly(1L);
    assertThat(f.client.paymentMethods()).extracting(PaymentMethod::id).containsExactly(12345L);
    assertThat(f.client.fixedPlans("AWS")).anyMatch(FixedPlan::isFree);
    long sub =
        f.client.awaitResourceId(
            f.ctx, f.client.createSubscription(ClientFixture.request("a", "db")));
    f.client.awaitSubscriptionActive(f.ctx, sub);
    List<Database> dbs = f.client.databases(sub);
    assertThat(dbs).extracting(Database::name).containsExactly("db");
    Database db = f.client.awaitDatabaseActive(f.ctx, sub, dbs.get(0).databaseId());
    assertThat(db.endpoint()).isPresent();
    assertThat(db.securityOrNone().passwordIfAny()).isPresent();
    assertThat(db.toString()).doesNotContain(db.securityOrNone().password().reveal());
    assertThat(f.client.activeActiveRegions(sub))
        .extracting(ActiveActiveRegion::deploymentCidr)
        .containsExactly("10.0.0.0/24");
    assertThat(f.client.subscription(999)).isEmpty();
  }

  @Test
  void listsVpcPeeringsThroughTheirTask() {
    long sub =
        f.client.awaitResourceId(
            f.ctx, f.client.createSubscription(ClientFixture.request("a", "db")));
    f.client.awaitSubscriptionActive(f.ctx, sub);
    f.client.awaitResourceId(
        f.ctx,
        f.client.createVpcPeering(
            sub,
            VpcPeeringCreateRequest.aws(
                "us-east-1", "123456789012", "vpc-0a1b2c", "172.31.0.0/16")));

    assertThat(f.client.vpcPeerings(f.ctx, sub))
        .extracting(VpcPeering::vpcUid)
        .containsExactly("vpc-0a1b2c");
  }

  @Test
  void builderRefusesMissingKeysAndBadRates() {
    assertThatThrownBy(() -> RedisCloudClient.builder(Secret.of(""), Secret.of("x")))
        .hasMessageContaining("apiKey");
    assertThatThrownBy(
            () -> RedisCloudClient.builder(Secret.of("x"), Secret.of("y")).requestsPerMinute(0))
        .hasMessageContaining("requestsPerMinute");
  }
}
