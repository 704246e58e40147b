package dev.opsflow.redis.enterprise.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.redis.enterprise.client.CreateDatabaseRequest;
import dev.opsflow.redis.enterprise.client.RedisEnterpriseClient;
import dev.opsflow.workflow.ApiException;
import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.testing.ManualClock;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The simulator's objects against the vendor's reference (node, bdb, action, user, license) and its
 * multi-node behaviour: nodes by uid, software versions and what they bundle, maintenance mode.
 */
class SimulatorClusterFidelityTest {
  private static final Secret PASSWORD = Secret.of("pw-admin-1");
  private final ManualClock clock = new ManualClock();
  private final RedisEnterpriseSimulator sim =
      RedisEnterpriseSimulator.builder()
          .clock(clock)
          .nodes(3)
          .softwareVersion("7.4.2-54")
          .redisBackend(RedisBackend.RESPONDER)
          .start()
          .bootstrapped("c.local", "admin@x.io", "pw-admin-1");
  private final RedisEnterpriseClient admin = sim.client("admin@x.io", PASSWORD);

  @AfterEach
  void close() {
    sim.close();
  }

  private JsonNode get(String path) {
    return admin.settings() == null ? null : raw(path);
  }

  private JsonNode raw(String path) {
    return dev.opsflow.workflow.http.JsonHttpClient.create(admin.settings())
        .get(path, JsonNode.class);
  }

  private static List<String> fields(JsonNode node) {
    var names = new ArrayList<String>();
    node.propertyNames().forEach(names::add);
    return names;
  }

  @Test
  void nodeStatusNamesThePrimaryWhichMovesWhenItRestarts() throws Exception {
    assertThat(admin.nodeStatuses()).containsOnlyKeys("1", "2", "3");
    assertThat(admin.nodeStatuses().get("1").isPrimary()).isTrue();
    assertThat(fields(get("/v1/nodes/status").get("2")))
        .contains("hostname", "role", "node_status", "software_version", "master_shards");
    assertThat(get("/v1/nodes/2/status").get("role").asString()).isEqualTo("slave");

    sim.changeMaster(3);
    assertThat(admin.nodeStatuses().get("3").role()).isEqualTo("master");
    assertThat(admin.nodeStatuses().get("1").role()).isEqualTo("slave");

    // The primary's software changes: it restarts, and the first active node takes the role.
    Files.writeString(sim.nodeInstallDir(3).resolve("VERSION"), "7.8.2-34\n");
    assertThat(admin.nodeStatuses().get("3").nodeStatus()).isEqualTo("down");
    assertThat(sim.primaryNode()).isEqualTo(1);
    clock.advance(Duration.ofMinutes(1));
    assertThat(admin.nodeStatuses().get("3").nodeStatus()).isEqualTo("active");
    assertThat(sim.primaryNode()).as("it does not take the role back").isEqualTo(1);
  }

  @Test
  void everyNodeAnswersByUidWithTheDocumentedFields() {
    assertThat(admin.nodes()).extracting(n -> n.uid()).containsExactly("1", "2", "3");
    JsonNode node = get("/v1/nodes/2");
    assertThat(fields(node))
        .contains(
            "uid",
            "accept_servers",
            "addr",
            "architecture",
            "cores",
            "ephemeral_storage_path",
            "external_addr",
            "max_redis_servers",
            "os_version",
            "persistent_storage_path",
            "rack_id",
            "shard_count",
            "shard_list",
            "software_version",
            "status",
            "supported_database_versions",
            "system_time",
            "total_memory",
            "uptime");
    assertThat(node.get("software_version").asString()).isEqualTo("7.4.2-54");
    assertThatThrownBy(() -> admin.node(9))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
  }

  @Test
  void aNodeBundlesTheVersionsOfItsReleaseAndTheClusterDefaultsToTheNewest() {
    assertThat(admin.node(1).redisMajorMinors()).containsExactly("6.0", "6.2", "7.2");
    assertThat(admin.cluster().defaultRedisVersion()).isEqualTo("7.2");
    assertThatThrownBy(
            () ->
                admin.createDatabase(
                    CreateDatabaseRequest.of("x", 1L << 20).withRedisVersion("7.4")))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.errorCode()).isEqualTo("invalid_version"));
  }

  @Test
  void aDatabaseWithoutAPortAnswersPortZeroAndItsCreationIsAStateMachine() {
    var db = admin.createDatabase(CreateDatabaseRequest.of("x", 1L << 20));
    JsonNode raw = get("/v1/bdbs/" + db.uid());
    assertThat(raw.get("port").asInt()).isZero();
    assertThat(raw.get("endpoints").get(0).get("port").asInt()).isBetween(10000, 19999);
    assertThat(fields(raw))
        .contains(
            "uid",
            "name",
            "status",
            "memory_size",
            "redis_version",
            "version",
            "endpoints",
            "replication",
            "data_persistence",
            "eviction_policy",
            "shards_count",
            "shard_list",
            "replica_sources",
            "replica_sync",
            "import_status",
            "backup",
            "tls_mode",
            "type",
            "created_time",
            "last_changed_time",
            "module_list",
            "oss_cluster",
            "sharding");
    JsonNode actions = get("/v1/actions");
    assertThat(actions.get("actions").size()).isZero();
    JsonNode machine = actions.get("state-machines").get(0);
    assertThat(machine.get("name").asString()).isEqualTo("SMCreateBDB");
    assertThat(machine.get("object_name").asString()).isEqualTo("bdb:" + db.uid());
    assertThat(machine.has("progress")).isFalse();
    assertThat(machine.has("state")).isTrue();
  }

  @Test
  void errorsCarryTheDocumentedCodes() {
    var db = admin.createDatabase(CreateDatabaseRequest.of("x", 1L << 20).withPersistence("aof"));
    clock.advance(Duration.ofMinutes(1));
    admin.upgradeDatabase(db.uid(), Map.of("redis_version", "7.2", "force_restart", true));

    // A database busy with an action: 409 and POST /v1/bdbs's documented `busy`.
    assertThatThrownBy(() -> admin.upgradeDatabase(db.uid(), Map.of("redis_version", "7.2")))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.errorCode()).isEqualTo("busy");
            });
    // An unknown persistence: 406 invalid_data_persistence, as POST /v1/bdbs documents.
    assertThatThrownBy(
            () ->
                dev.opsflow.workflow.http.JsonHttpClient.create(admin.settings())
                    .post(
                        "/v1/bdbs",
                        Map.of("name", "y", "memory_size", 1 << 20, "data_persistence", "rdb"),
                        JsonNode.class))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(406);
              assertThat(e.errorCode()).isEqualTo("invalid_data_persistence");
            });
  }

  @Test
  void usersAnswerByUidAndATrialLicenseHasNoOwner() {
    assertThat(get("/v1/users/1").get("email").asString()).isEqualTo("admin@x.io");
    assertThatThrownBy(() -> raw("/v1/users/7"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
    assertThat(get("/v1/license").get("owner").isNull()).isTrue();
  }

  @Test
  void maintenanceModeMovesTheShardsAwayAndOnlyOneRunsAtATime() {
    var db = admin.createDatabase(CreateDatabaseRequest.of("x", 1L << 20));
    clock.advance(Duration.ofMinutes(1));
    assertThat(admin.node(1).shardCount()).isEqualTo(1);

    var action = admin.startNodeAction(1, "maintenance_on", Map.of());
    assertThat(action.status()).isEqualTo("queued");
    assertThatThrownBy(() -> admin.startNodeAction(1, "maintenance_on", Map.of()))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(409));
    clock.advance(Duration.ofMinutes(1));

    assertThat(admin.nodeAction(1, "maintenance_on").isCompleted()).isTrue();
    assertThat(admin.node(1).acceptServers()).isFalse();
    assertThat(admin.node(1).shardCount()).isZero();
    assertThat(admin.shards().get(0).nodeUid()).isEqualTo("2");
    assertThat(admin.shards().get(0).bdbUid()).isEqualTo(db.uid());
  }

  @Test
  void aNewSoftwareVersionTakesTheNodeDownThenBackRunningIt() throws Exception {
    Files.writeString(sim.nodeInstallDir(3).resolve("VERSION"), "7.8.2-34\n");

    assertThat(admin.node(3).status()).isEqualTo("down");
    assertThat(admin.node(3).softwareVersion()).isEqualTo("7.8.2-34");
    clock.advance(Duration.ofMinutes(1));
    assertThat(admin.node(3).status()).isEqualTo("active");
    assertThat(admin.node(3).redisMajorMinors()).containsExactly("6.2", "7.2", "7.4");
    // Mixed versions: the cluster offers what every node supports.
    assertThat(admin.cluster().defaultRedisVersion()).isEqualTo("7.2");
    assertThat(Json.mapper().writeValueAsString(admin.nodes())).contains("7.4.2-54");
  }
}
