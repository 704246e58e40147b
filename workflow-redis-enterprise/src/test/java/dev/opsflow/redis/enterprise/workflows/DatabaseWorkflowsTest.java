package dev.opsflow.redis.enterprise.workflows;

import static dev.opsflow.redis.enterprise.workflows.SimulatedClusterFixture.PASSWORD;
import static dev.opsflow.redis.enterprise.workflows.SimulatedClusterFixture.USER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.redis.enterprise.testing.RecordedRequest;
import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.StepStatus;
import dev.opsflow.workflow.WorkflowRegistry;
import dev.opsflow.workflow.WorkflowResult;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DatabaseWorkflowsTest {
  private final SimulatedClusterFixture f = new SimulatedClusterFixture();

  @BeforeEach
  void bootstrapped() {
    f.sim.bootstrapped("cluster.local", USER, PASSWORD);
  }

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void createDatabaseWaitsUntilActiveAndPingsIt() {
    WorkflowResult result =
        f.run(
            RedisEnterpriseWorkflows.createDatabase(f.clients),
            "databaseName",
            "cache",
            "databaseMemoryGb",
            0.5,
            "databasePassword",
            "pw-cache");

    assertThat(result.status()).as(result.toJson()).isEqualTo(RunState.COMPLETED);
    assertThat(result.outputs())
        .containsEntry("database_created", true)
        .containsEntry("database_name", "cache")
        .containsEntry("database_id", 1);
    assertThat(f.sim.requests("POST", "/v1/bdbs").get(0).body())
        .contains("\"memory_size\":536870912")
        .doesNotContain("pw-cache");
  }

  @Test
  void createDatabaseRetriesOnceWhenAFreshClusterAnswers406() {
    f.sim
        .faults()
        .failNext(1, 406, "cluster_not_ready", "the cluster is settling", "POST", "/v1/bdbs");

    WorkflowResult result =
        f.run(RedisEnterpriseWorkflows.createDatabase(f.clients), "databaseName", "cache");

    assertThat(result.status()).as(result.toJson()).isEqualTo(RunState.COMPLETED);
    assertThat(f.sim.requests("POST", "/v1/bdbs"))
        .extracting(RecordedRequest::status)
        .containsExactly(406, 200);
  }

  @Test
  void invalidConfiguration406IsNotRetriedAndNotReportedAsCreated() {
    f.sim
        .faults()
        .failNext(1, 406, "invalid_version", "redis_version 9.9 is unknown", "POST", "/v1/bdbs");

    WorkflowResult result =
        f.run(RedisEnterpriseWorkflows.createDatabase(f.clients), "databaseName", "cache");

    assertThat(result.success()).isFalse();
    assertThat(result.error().message()).contains("invalid_version");
    assertThat(result.outputs()).doesNotContainEntry("database_created", true);
    assertThat(f.sim.requests("POST", "/v1/bdbs")).hasSize(1);
  }

  @Test
  void stuckActionTimesOutNamingTheLastState() {
    f.sim.faults().nextActionNeverEnds();

    WorkflowResult result =
        f.run(
            RedisEnterpriseWorkflows.createDatabase(f.clients),
            "databaseName",
            "cache",
            "waitTimeout",
            "2m");

    assertThat(result.success()).isFalse();
    assertThat(result.error().message())
        .contains("timed out after 2m")
        .contains("database pending")
        .contains("running");
  }

  @Test
  void deleteDatabaseByNameDeletesItAndASecondRunIsASkip() {
    f.run(RedisEnterpriseWorkflows.createDatabase(f.clients), "databaseName", "cache");

    WorkflowResult first =
        f.run(RedisEnterpriseWorkflows.deleteDatabase(f.clients), "databaseName", "cache");
    WorkflowResult second =
        f.run(RedisEnterpriseWorkflows.deleteDatabase(f.clients), "databaseName", "cache");

    assertThat(first.status()).as(first.toJson()).isEqualTo(RunState.COMPLETED);
    assertThat(first.outputs()).containsEntry("database_deleted", true);
    assertThat(f.sim.databaseNames()).isEmpty();
    assertThat(second.status()).isEqualTo(RunState.COMPLETED);
    assertThat(second.step("delete-database").orElseThrow().status()).isEqualTo(StepStatus.SKIPPED);
    assertThat(f.sim.requests(r -> r.method().equals("DELETE"))).hasSize(1);
  }

  @Test
  void deleteDatabaseById() {
    f.run(RedisEnterpriseWorkflows.createDatabase(f.clients), "databaseName", "cache");

    WorkflowResult result =
        f.run(RedisEnterpriseWorkflows.deleteDatabase(f.clients), "databaseId", 1);

    assertThat(result.status()).isEqualTo(RunState.COMPLETED);
    assertThat(f.sim.requests("DELETE", "/v1/bdbs/1")).hasSize(1);
  }

  @Test
  void registryRunsEveryWorkflowByNameWithStringArguments() {
    var registry = RedisEnterpriseWorkflows.registerAll(new WorkflowRegistry(), f.clients);
    assertThat(registry.names())
        .containsExactly(
            "backup-database",
            "create-database",
            "delete-database",
            "init-cluster",
            "migrate-database",
            "recover-cluster",
            "restore-database",
            "rolling-upgrade-cluster",
            "upgrade-databases");

    WorkflowResult result =
        registry.run(
            f.engine,
            "init-cluster",
            Map.of(
                "url",
                f.sim.url(),
                "username",
                USER,
                "password",
                PASSWORD,
                "databaseMemoryGb",
                "2",
                "skipDatabase",
                "false"),
            RunOptions.defaults());

    assertThat(result.status()).as(result.toJson()).isEqualTo(RunState.COMPLETED);
    assertThat(
            registry.describe().stream()
                .filter(w -> w.name().equals("init-cluster"))
                .findFirst()
                .orElseThrow()
                .parameters())
        .anySatisfy(
            p -> {
              assertThat(p.name()).isEqualTo("password");
              assertThat(p.secret()).isTrue();
            });
  }
}
