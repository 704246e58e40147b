package dev.opsflow.redis.enterprise.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.redis.enterprise.testing.RedisBackend;
import dev.opsflow.redis.enterprise.testing.RedisEnterpriseSimulator;
import dev.opsflow.workflow.ApiException;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.WorkflowException;
import dev.opsflow.workflow.http.HttpSettings;
import dev.opsflow.workflow.testing.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RedisEnterpriseClientTest {
  private static final String USER = "admin@cluster.local";
  private static final Secret PASSWORD = Secret.of("Sup3r-Secret");

  private final ManualClock clock = new ManualClock();
  private RedisEnterpriseSimulator sim;
  private RedisEnterpriseClient client;

  @BeforeEach
  void start() {
    sim =
        RedisEnterpriseSimulator.builder()
            .clock(clock)
            .redisBackend(RedisBackend.RESPONDER)
            .start();
    client = sim.client(USER, PASSWORD);
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private void bootstrap() {
    client.createCluster(CreateClusterRequest.of("cluster.local", USER, PASSWORD));
    clock.advance(Duration.ofMinutes(1));
  }

  @Test
  void bootstrapStatusIsReadFromTheNestedObjectAndMovesToCompletedOverTime() {
    assertThat(client.bootstrap().status().state()).isEqualTo("idle");
    assertThat(client.bootstrap().status().canStart()).isTrue();
    client.createCluster(CreateClusterRequest.of("cluster.local", USER, PASSWORD));
    assertThat(client.bootstrap().status().isInProgress()).isTrue();
    clock.advance(Duration.ofSeconds(5));
    assertThat(client.bootstrap().state()).isEqualTo("creating_cluster");
    clock.advance(Duration.ofMinutes(1));
    BootstrapInfo done = client.bootstrap();
    assertThat(done.status().isCompleted()).isTrue();
    assertThat(done.localNodeInfo().get("total_memory").asLong()).isPositive();
  }

  @Test
  void createClusterSendsTheDocumentedBodyWithThePasswordRedactedInTheLog() {
    client.createCluster(
        CreateClusterRequest.of("cluster.local", USER, PASSWORD)
            .withLicense(Secret.of("----- LICENSE START -----abc")));
    var post = sim.requests("POST", "/v1/bootstrap/create_cluster").get(0);
    var body = Json.mapper().readTree(post.body());
    assertThat(body.get("action").asString()).isEqualTo("create_cluster");
    assertThat(body.at("/cluster/name").asString()).isEqualTo("cluster.local");
    assertThat(post.body()).doesNotContain(PASSWORD.reveal()).doesNotContain("abc");
  }

  @Test
  void secondBootstrapWhileOneRunsIsAConflict() {
    client.createCluster(CreateClusterRequest.of("cluster.local", USER, PASSWORD));
    assertThatThrownBy(
            () -> client.createCluster(CreateClusterRequest.of("cluster.local", USER, PASSWORD)))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.errorCode()).isEqualTo("bootstrap_in_progress");
              assertThat(e.retryable()).isFalse();
            });
  }

  @Test
  void afterBootstrapEveryCallNeedsTheRightCredentials() {
    bootstrap();
    var wrong = sim.client(USER, Secret.of("wrong"));
    assertThatThrownBy(wrong::bootstrap)
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(401);
              assertThat(e.kind()).isEqualTo(ErrorKind.AUTH);
              assertThat(e.retryable()).isFalse();
              assertThat(e.getMessage()).doesNotContain("wrong");
            });
    assertThat(client.bootstrap().status().isCompleted()).isTrue();
  }

  @Test
  void beforeBootstrapOtherEndpointsAnswer503WithTheErrorCode() {
    assertThatThrownBy(client::cluster)
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(503);
              assertThat(e.errorCode()).isEqualTo("node_not_bootstrapped");
              assertThat(e.retryable()).isTrue();
            });
  }

  @Test
  void readsClusterNodesAndLicenseAndUpdatesThem() {
    bootstrap();
    assertThat(client.cluster().name()).isEqualTo("cluster.local");
    assertThat(client.updateCluster(Map.of("email_alerts", true)).emailAlerts()).isTrue();
    List<NodeInfo> nodes = client.nodes();
    assertThat(nodes).hasSize(1);
    assertThat(nodes.get(0).uid()).isEqualTo("1");
    assertThat(nodes.get(0).redisVersions()).contains("7.4.0");
    assertThat(client.license().expired()).isFalse();
    assertThat(client.updateLicense(Secret.of("----- LICENSE START -----x")).shardsLimit())
        .isEqualTo(100);
    assertThatThrownBy(() -> client.updateLicense(Secret.of("garbage")))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.errorCode()).isEqualTo("invalid_license");
            });
  }

  @Test
  void databaseIsPendingUntilItsActionCompletesThenActive() {
    bootstrap();
    Database created =
        client.createDatabase(
            CreateDatabaseRequest.of("db1", 1L << 30).withPassword(Secret.of("dbpass")));
    assertThat(created.uid()).isEqualTo(1);
    assertThat(created.status()).isEqualTo("pending");
    assertThat(created.actionUid()).isNotBlank();
    assertThat(created.password().toString()).isEqualTo("****");
    assertThat(created.toString()).doesNotContain("dbpass");
    assertThat(client.action(created.actionUid()).status()).isEqualTo("queued");
    clock.advance(Duration.ofSeconds(5));
    Action running = client.action(created.actionUid());
    assertThat(running.status()).isEqualTo("running");
    // A creation is a state machine: a real cluster sends its state, not a progress.
    assertThat(running.progress()).isNull();
    assertThat(client.actions()).extracting(Action::uid).contains(created.actionUid());
    clock.advance(Duration.ofSeconds(10));
    assertThat(client.action(created.actionUid()).isCompleted()).isTrue();
    Database active = client.database(1);
    assertThat(active.isActive()).isTrue();
    assertThat(active.passwordIfSet().map(Secret::reveal)).contains("dbpass");
    assertThat(active.primaryEndpoint().orElseThrow().hosts()).contains("127.0.0.1");
    assertThat(client.databases()).extracting(Database::name).containsExactly("db1");
    assertThat(client.databaseNamed("db1")).isPresent();
    assertThat(client.updateDatabase(1, Map.of("memory_size", 2L << 30)).memorySize())
        .isEqualTo(2L << 30);
    client.deleteDatabase(1);
    assertThat(client.database(1).status()).isEqualTo("delete-pending");
    assertThat(client.databaseNamed("db1")).isPresent();
    clock.advance(Duration.ofSeconds(2));
    assertThat(client.databases()).isEmpty();
    assertThatThrownBy(() -> client.database(1))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.errorCode()).isEqualTo("db_not_exist"));
  }

  @Test
  void invalidDatabaseConfigurationsAnswer406WithTheApiErrorCode() {
    bootstrap();
    var request = CreateDatabaseRequest.of("big", 1L << 50);
    assertThatThrownBy(() -> client.createDatabase(request))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(406);
              assertThat(e.errorCode()).isEqualTo("insufficient_resources");
              assertThat(e.retryable()).isFalse();
            });
    assertThatThrownBy(
            () ->
                client.createDatabase(
                    CreateDatabaseRequest.of("v", 1L << 20).withRedisVersion("5.0")))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.errorCode()).isEqualTo("invalid_version"));
  }

  @Test
  void failedActionCarriesItsErrorCodeAndTheDatabaseEndsCreationFailed() {
    bootstrap();
    sim.faults().nextActionFails("insufficient_resources", "no shard placement");
    Database created = client.createDatabase(CreateDatabaseRequest.of("db1", 1L << 30));
    clock.advance(Duration.ofMinutes(1));
    Action failed = client.action(created.actionUid());
    assertThat(failed.isUnsuccessful()).isTrue();
    assertThat(failed.errorCode()).isEqualTo("insufficient_resources");
    assertThat(failed.describe()).contains("no shard placement");
    assertThat(client.database(created.uid()).isCreationFailed()).isTrue();
  }

  @Test
  void listsAndCreatesUsers() {
    bootstrap();
    assertThat(client.users()).extracting(User::email).containsExactly(USER);
    User created =
        client.createUser(CreateUserRequest.withRole("ops@x.io", Secret.of("p"), "db_viewer"));
    assertThat(created.uid()).isEqualTo(2);
    assertThat(client.users()).extracting(User::role).containsExactly("admin", "db_viewer");
    assertThatThrownBy(
            () ->
                client.createUser(
                    CreateUserRequest.withRole("ops@x.io", Secret.of("p"), "db_viewer")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(409));
  }

  @Test
  void injectedServerErrorsAreRetryableApiExceptions() {
    sim.faults().failNext(1, 503, "GET", "/v1/bootstrap");
    assertThatThrownBy(client::bootstrap)
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(503);
              assertThat(e.retryable()).isTrue();
            });
    assertThat(client.bootstrap().state()).isEqualTo("idle");
  }

  @Test
  void droppedConnectionIsARetryableConnectionError() {
    // The JDK client retries an idempotent GET once on its own when the connection drops.
    sim.faults().dropNext(2);
    assertThatThrownBy(client::bootstrap)
        .isInstanceOfSatisfying(
            WorkflowException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.CONNECTION);
              assertThat(e.retryable()).isTrue();
            });
    assertThat(sim.requests().get(0).status()).isZero();
  }

  @Test
  void readsTheDocumentedErrorShapeWithMessageToo() {
    try (var documented =
        RedisEnterpriseSimulator.builder().clock(clock).documentedErrorShape().start()) {
      var c = documented.client(USER, PASSWORD);
      assertThatThrownBy(c::cluster)
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> assertThat(e.getMessage()).contains("not part of an active cluster"));
    }
  }

  @Test
  void untrustedCertificateIsRefusedByDefault() {
    var c = RedisEnterpriseClient.create(HttpSettings.of(sim.url()));
    assertThatThrownBy(c::bootstrap)
        .isInstanceOfSatisfying(
            WorkflowException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONNECTION));
  }

  @Test
  void unknownActionAndBusyDatabaseAnswerWithTheirErrorCodes() {
    bootstrap();
    assertThatThrownBy(() -> client.action("no-such-action"))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(404);
              assertThat(e.errorCode()).isEqualTo("action_not_exist");
            });
    Database pending = client.createDatabase(CreateDatabaseRequest.of("db1", 1L << 20));
    assertThatThrownBy(() -> client.updateDatabase(pending.uid(), Map.of("memory_size", 1L << 21)))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.errorCode()).isEqualTo("busy");
            });
  }

  @Test
  void rawClusterKeepsEveryField() {
    bootstrap();
    assertThat(client.clusterRaw().get("default_provisioned_redis_version").asString())
        .isEqualTo("7.4");
    assertThat(client.cluster().defaultRedisVersion()).isEqualTo("7.4");
  }

  @Test
  void actionsListIsReadFromTheObjectNotAnArray() {
    bootstrap();
    assertThat(client.actions()).isEmpty();
    assertThat(sim.requests("GET", "/v1/actions")).hasSize(1);
  }
}
