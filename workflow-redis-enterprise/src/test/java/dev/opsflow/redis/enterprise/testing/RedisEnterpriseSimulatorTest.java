package dev.opsflow.redis.enterprise.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.redis.enterprise.client.CreateClusterRequest;
import dev.opsflow.redis.enterprise.client.CreateDatabaseRequest;
import dev.opsflow.redis.enterprise.client.RedisEnterpriseClient;
import dev.opsflow.workflow.ApiException;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.WorkflowException;
import dev.opsflow.workflow.http.HttpSettings;
import dev.opsflow.workflow.resp.RespPing;
import dev.opsflow.workflow.testing.ManualClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RedisEnterpriseSimulatorTest {
  private static final Secret PASSWORD = Secret.of("pw-admin-1");
  private final ManualClock clock = new ManualClock();
  private final RedisEnterpriseSimulator sim =
      RedisEnterpriseSimulator.builder().clock(clock).redisBackend(RedisBackend.RESPONDER).start();
  private final RedisEnterpriseClient admin = sim.client("admin@x.io", PASSWORD);

  @AfterEach
  void close() {
    sim.close();
  }

  private RedisEnterpriseClient anonymous() {
    return RedisEnterpriseClient.create(
        HttpSettings.of(sim.url()).withTrustedPem(sim.certificatePem()));
  }

  @Test
  void bootstrapAnswersWithoutAuthOnlyUntilTheClusterExists() {
    assertThat(anonymous().bootstrap().state()).isEqualTo("idle");
    admin.createCluster(CreateClusterRequest.of("c.local", "admin@x.io", PASSWORD));
    assertThat(anonymous().bootstrap().state()).isEqualTo("initiated");
    clock.advance(Duration.ofMinutes(1));
    assertThatThrownBy(() -> anonymous().bootstrap())
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401));
    assertThat(admin.bootstrap().state()).isEqualTo("completed");
  }

  @Test
  void invalidLicenseAtBootstrapEndsInErrorWithItsCode() {
    admin.createCluster(
        CreateClusterRequest.of("c.local", "admin@x.io", PASSWORD)
            .withLicense(Secret.of("not a license")));
    clock.advance(Duration.ofMinutes(1));
    var status = admin.bootstrap().status();
    assertThat(status.isError()).isTrue();
    assertThat(status.errorCode()).isEqualTo("invalid_license");
    assertThat(status.canStart()).isTrue();
  }

  @Test
  void requestLogRedactsPasswordsAndLicenses() {
    admin.createCluster(
        CreateClusterRequest.of("c.local", "admin@x.io", PASSWORD)
            .withLicense(Secret.of("----- LICENSE START -----k")));
    RecordedRequest request = sim.requests().get(0);
    assertThat(request.body()).doesNotContain("pw-admin-1").doesNotContain("START");
    assertThat(request.user()).isEqualTo("admin@x.io");
    assertThat(request.isMutating()).isTrue();
  }

  @Test
  void stuckActionStaysRunningHoweverLongOneWaits() {
    sim.bootstrapped("c.local", "admin@x.io", "pw-admin-1");
    sim.faults().nextActionNeverEnds();
    var db = admin.createDatabase(CreateDatabaseRequest.of("db", 1L << 20));
    clock.advance(Duration.ofDays(2));
    assertThat(admin.action(db.actionUid()).status()).isEqualTo("running");
    assertThat(admin.database(db.uid()).status()).isEqualTo("pending");
  }

  @Test
  void latencyDelaysEveryAnswer() {
    sim.faults().latency(Duration.ofMillis(300));
    long start = System.nanoTime();
    admin.bootstrap();
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
    sim.faults().reset();
  }

  @Test
  void failuresCanTargetOneMethodAndPath() {
    sim.bootstrapped("c.local", "admin@x.io", "pw-admin-1");
    sim.faults().failNext(1, 409, "busy", "busy with another change", "GET", "/v1/nodes");
    assertThat(admin.cluster().name()).isEqualTo("c.local");
    assertThatThrownBy(admin::nodes)
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.errorCode()).isEqualTo("busy");
              assertThat(e.getMessage()).contains("busy with another change");
            });
    assertThat(admin.nodes()).hasSize(1);
  }

  @Test
  void databaseEndpointEnforcesItsPasswordAndStopsWhenDeleted() {
    sim.bootstrapped("c.local", "admin@x.io", "pw-admin-1");
    var db =
        admin.createDatabase(
            CreateDatabaseRequest.of("db", 1L << 20).withPassword(Secret.of("db-pw")));
    // As on a real cluster: no port asked, so port 0, and the real one under endpoints[].
    assertThat(db.port()).isZero();
    int port = db.primaryEndpoint().orElseThrow().port();
    assertThat(port).isBetween(10000, 19999);
    RespPing ping = RespPing.to(List.of("127.0.0.1"), port).withTimeout(Duration.ofSeconds(30));
    assertThat(ping.withPassword(Secret.of("db-pw")).ping().authenticated()).isTrue();
    assertThatThrownBy(ping::ping).hasMessageContaining("requires a password");
    admin.deleteDatabase(db.uid());
    assertThatThrownBy(() -> ping.withPassword(Secret.of("db-pw")).ping())
        .isInstanceOf(WorkflowException.class);
  }

  @Test
  void fixedPortOutsideTheDatabaseRangeIsRefused() {
    sim.bootstrapped("c.local", "admin@x.io", "pw-admin-1");
    assertThatThrownBy(
            () -> admin.createDatabase(CreateDatabaseRequest.of("db", 1L << 20).withPort(80)))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(406);
              assertThat(e.errorCode()).isEqualTo("port_unavailable");
            });
  }

  @Test
  void duplicateDatabaseNameIsAConflict() {
    sim.bootstrapped("c.local", "admin@x.io", "pw-admin-1");
    admin.createDatabase(CreateDatabaseRequest.of("db", 1L << 20));
    assertThatThrownBy(() -> admin.createDatabase(CreateDatabaseRequest.of("db", 1L << 20)))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(409));
  }

  @Test
  void aDeletedDatabaseIsDeletePendingHoldingItsNameUntilItIsGone() {
    sim.bootstrapped("c.local", "admin@x.io", "pw-admin-1");
    var db = admin.createDatabase(CreateDatabaseRequest.of("db", 1L << 20));
    clock.advance(Duration.ofMinutes(1));

    admin.deleteDatabase(db.uid());

    assertThat(admin.database(db.uid()).status()).isEqualTo("delete-pending");
    assertThat(sim.databaseNames()).containsExactly("db");
    assertThatThrownBy(() -> admin.createDatabase(CreateDatabaseRequest.of("db", 1L << 20)))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(409));
    assertThatThrownBy(() -> admin.updateDatabase(db.uid(), java.util.Map.of("name", "other")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(409));
    admin.deleteDatabase(db.uid());
    clock.advance(Duration.ofSeconds(1));
    assertThat(admin.database(db.uid()).status()).isEqualTo("delete-pending");

    clock.advance(Duration.ofSeconds(1));

    assertThatThrownBy(() -> admin.database(db.uid()))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
    assertThat(sim.databaseNames()).isEmpty();
    assertThat(admin.createDatabase(CreateDatabaseRequest.of("db", 1L << 20)).uid())
        .isNotEqualTo(db.uid());
  }

  @Test
  void bootstrapValidationChecksTheBodyAndChangesNothing() {
    var good = CreateClusterRequest.of("c.local", "admin@x.io", PASSWORD);
    admin.validateCluster(good);
    assertThatThrownBy(
            () -> admin.validateCluster(good.withLicense(Secret.of("not a license at all"))))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(406);
              assertThat(e.errorCode()).isEqualTo("invalid_license");
              assertThat(e.getMessage()).contains("the license key cannot be parsed");
            });
    assertThat(anonymous().bootstrap().state()).isEqualTo("idle");
    assertThat(sim.requests("POST", "/v1/bootstrap/validate/create_cluster"))
        .hasSize(2)
        .noneMatch(RecordedRequest::isMutating)
        .allSatisfy(r -> assertThat(r.body()).doesNotContain("pw-admin-1").doesNotContain("not a"));

    admin.createCluster(good);
    clock.advance(Duration.ofMinutes(1));

    assertThatThrownBy(() -> admin.validateCluster(good))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(409));
  }
}
