package dev.opsflow.redis.enterprise.workflows;

import static dev.opsflow.redis.enterprise.workflows.SimulatedClusterFixture.PASSWORD;
import static dev.opsflow.redis.enterprise.workflows.SimulatedClusterFixture.USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.redis.enterprise.client.CreateDatabaseRequest;
import dev.opsflow.redis.enterprise.testing.RecordedRequest;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.StepStatus;
import dev.opsflow.workflow.ValidationException;
import dev.opsflow.workflow.WorkflowResult;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InitClusterWorkflowTest {
  private final SimulatedClusterFixture f = new SimulatedClusterFixture();

  @AfterEach
  void close() {
    f.close();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> endpoints(WorkflowResult result) {
    return (Map<String, Object>) result.outputs().get("endpoints");
  }

  @Test
  void freshNodeIsBootstrappedGivenADefaultDatabaseAndPinged() {
    WorkflowResult result = f.initCluster();

    assertThat(result.status()).as(result.toJson()).isEqualTo(RunState.COMPLETED);
    assertThat(result.outputs())
        .containsEntry("cluster_name", "cluster.local")
        .containsEntry("username", USER)
        .containsEntry("database_created", true)
        .containsEntry("database_name", "default-db")
        .containsEntry("database_id", 1);
    assertThat(endpoints(result))
        .containsEntry("api", f.sim.url())
        .containsEntry("web_ui", "https://127.0.0.1:8443");
    // The endpoint's DNS name answered (the simulator's resolves from /etc/hosts).
    assertThat((String) endpoints(result).get("database")).startsWith("localhost:");
    assertThat(f.sim.requests("POST", "/v1/bootstrap/create_cluster")).hasSize(1);
    RecordedRequest create = f.sim.requests("POST", "/v1/bdbs").get(0);
    assertThat(create.body())
        .contains("\"memory_size\":1073741824")
        .contains("default-db")
        .contains("\"redis_version\":\"7.4\"");
    assertThat(result.step("verify-database-connectivity").orElseThrow().status())
        .isEqualTo(StepStatus.COMPLETED);
  }

  @Test
  void alreadyInitialisedClusterSucceedsWithoutASecondBootstrapRequest() {
    f.sim.bootstrapped("cluster.local", USER, PASSWORD);

    WorkflowResult result = f.initCluster();

    assertThat(result.status()).as(result.toJson()).isEqualTo(RunState.COMPLETED);
    assertThat(f.sim.requests("POST", "/v1/bootstrap/create_cluster")).isEmpty();
    assertThat(result.step("bootstrap-cluster").orElseThrow().status())
        .isEqualTo(StepStatus.SKIPPED);
    assertThat(result.step("bootstrap-cluster").orElseThrow().skipReason())
        .contains("already bootstrapped");
  }

  @Test
  void secondRunOnTheSameNodeBootstrapsNothingAndReusesTheDatabase() {
    f.initCluster();
    f.sim.clearRequests();

    WorkflowResult again = f.initCluster();

    assertThat(again.status()).isEqualTo(RunState.COMPLETED);
    assertThat(f.sim.requests(RecordedRequest::isMutating)).isEmpty();
    assertThat(again.outputs())
        .containsEntry("database_created", false)
        .containsEntry("database_id", 1);
  }

  @Test
  void skipDatabaseCreatesNoDatabase() {
    WorkflowResult result = f.initCluster("skipDatabase", true);

    assertThat(result.status()).isEqualTo(RunState.COMPLETED);
    assertThat(f.sim.requests(r -> r.path().startsWith("/v1/bdbs"))).isEmpty();
    assertThat(result.outputs())
        .containsEntry("database_created", false)
        .containsEntry("database_name", "default-db")
        .doesNotContainKey("database_id");
  }

  @Test
  void existingDatabaseOfThatNameIsReusedInsteadOfFailing() {
    f.sim.bootstrapped("cluster.local", USER, PASSWORD);
    var client = f.sim.client(USER, Secret.of(PASSWORD));
    int uid = client.createDatabase(CreateDatabaseRequest.of("default-db", 1L << 29)).uid();
    f.sim.clearRequests();

    WorkflowResult result = f.initCluster();

    assertThat(result.status()).as(result.toJson()).isEqualTo(RunState.COMPLETED);
    assertThat(f.sim.requests("POST", "/v1/bdbs")).isEmpty();
    assertThat(result.step("create-database").orElseThrow().skipReason()).contains("reused");
    assertThat(result.outputs())
        .containsEntry("database_created", false)
        .containsEntry("database_id", uid);
  }

  @Test
  void bootstrapThatEndsInErrorFailsWithItsErrorCodeAndCreatesNoDatabase() {
    f.sim.faults().nextBootstrapFails("insufficient_node_memory", "the node has 2 GB");

    WorkflowResult result = f.initCluster();

    assertThat(result.success()).isFalse();
    assertThat(result.error().step()).isEqualTo("await-bootstrap");
    assertThat(result.error().type()).isEqualTo(ErrorKind.REMOTE_FAILURE);
    assertThat(result.error().message())
        .contains("insufficient_node_memory")
        .contains("the node has 2 GB");
    assertThat(result.error().details()).containsEntry("errorCode", "insufficient_node_memory");
    assertThat(f.sim.requests(r -> r.path().startsWith("/v1/bdbs"))).isEmpty();
  }

  @Test
  void failedDatabaseActionWithRollbackDeletesTheDatabaseItCreatedAndOnlyIt() {
    f.sim.bootstrapped("cluster.local", USER, PASSWORD);
    f.sim
        .client(USER, Secret.of(PASSWORD))
        .createDatabase(CreateDatabaseRequest.of("other", 1L << 20));
    f.sim.faults().nextActionFails("insufficient_resources", "no room for the shards");

    WorkflowResult result = f.initCluster(RunOptions.defaults().withRollback(true));

    assertThat(result.status()).as(result.toJson()).isEqualTo(RunState.ROLLED_BACK);
    assertThat(result.error().message()).contains("insufficient_resources");
    assertThat(f.sim.requests(r -> r.method().equals("DELETE")))
        .extracting(RecordedRequest::path)
        .containsExactly("/v1/bdbs/2");
    assertThat(f.sim.databaseNames()).containsExactly("other");
  }

  @Test
  void failureAfterBootstrapWithoutRollbackIsPartialWithRecoverySteps() {
    f.sim.faults().nextActionFails("insufficient_resources", "no room for the shards");

    WorkflowResult result = f.initCluster();

    assertThat(result.status()).isEqualTo(RunState.PARTIAL);
    assertThat(result.error().step()).isEqualTo("await-database");
    assertThat(result.error().suggestions())
        .anySatisfy(s -> assertThat(s).contains("bootstrapped and kept"))
        .anySatisfy(s -> assertThat(s).contains("delete-database"));
    assertThat(f.sim.databaseNames()).containsExactly("default-db");
  }

  @Test
  void serviceUnavailableAnswersAreRetried() {
    f.sim
        .faults()
        .failNext(2, 503, "GET", "/v1/bootstrap")
        .failNext(1, 503, "POST", "/v1/bdbs")
        .failNext(1, 503, "GET", "/v1/cluster");

    WorkflowResult result = f.initCluster();

    assertThat(result.status()).as(result.toJson()).isEqualTo(RunState.COMPLETED);
    assertThat(result.step("inspect-cluster").orElseThrow().attempts()).isEqualTo(3);
    assertThat(result.step("create-database").orElseThrow().attempts()).isEqualTo(2);
    assertThat(f.sim.requests("POST", "/v1/bdbs"))
        .extracting(RecordedRequest::status)
        .containsExactly(503, 200);
  }

  @Test
  void wrongPasswordOnAnInitialisedClusterIsNotRetried() {
    f.sim.bootstrapped("cluster.local", USER, "the-real-password");

    WorkflowResult result = f.initCluster();

    assertThat(result.status()).isEqualTo(RunState.FAILED);
    assertThat(result.error().type()).isEqualTo(ErrorKind.AUTH);
    assertThat(result.error().retryable()).isFalse();
    assertThat(f.sim.requests()).hasSize(1);
    assertThat(result.toJson()).doesNotContain(PASSWORD).doesNotContain("the-real-password");
  }

  @Test
  void dryRunSendsNoMutatingRequest() {
    WorkflowResult result =
        f.initCluster(
            RunOptions.defaults().withDryRun(true),
            "license",
            "----- LICENSE START -----x",
            "clusterSettings",
            "{\"email_alerts\":true}");

    assertThat(result.dryRun()).isTrue();
    assertThat(f.sim.requests()).isNotEmpty().noneMatch(RecordedRequest::isMutating);
    assertThat(result.step("bootstrap-cluster").orElseThrow().status())
        .isEqualTo(StepStatus.DRY_RUN);
    assertThat(result.step("bootstrap-cluster").orElseThrow().description())
        .contains("cluster.local");
    assertThat(f.sim.bootstrapState()).isEqualTo("idle");
  }

  @Test
  void dryRunOnAnInitialisedClusterDescribesTheDatabaseItWouldCreate() {
    f.sim.bootstrapped("cluster.local", USER, PASSWORD);

    WorkflowResult result =
        f.initCluster(RunOptions.defaults().withDryRun(true), "databaseMemoryGb", 2.0);

    assertThat(f.sim.requests()).noneMatch(RecordedRequest::isMutating);
    assertThat(result.step("create-database").orElseThrow().description())
        .contains("'default-db' of 2 GB");
  }

  @Test
  void licenseAndClusterSettingsAreAppliedWithoutShowingTheLicense() {
    WorkflowResult result =
        f.initCluster(
            "license",
            "----- LICENSE START -----SECRETKEY",
            "clusterSettings",
            "{\"email_alerts\": true}");

    assertThat(result.status()).as(result.toJson()).isEqualTo(RunState.COMPLETED);
    assertThat(f.sim.requests("PUT", "/v1/license")).hasSize(1);
    assertThat(f.sim.requests("PUT", "/v1/cluster").get(0).body()).contains("email_alerts");
    assertThat(result.toJson()).doesNotContain("SECRETKEY");
    assertThat(f.sim.requests().toString()).doesNotContain("SECRETKEY");
  }

  @ParameterizedTest(name = "dryRun={0}")
  @ValueSource(booleans = {false, true})
  void aLicenseTheNodeRefusesFailsItsValidationBeforeAnythingChanges(boolean dryRun) {
    WorkflowResult result =
        f.initCluster(RunOptions.defaults().withDryRun(dryRun), "license", "garbage-key");

    assertThat(result.status()).as(result.toJson()).isEqualTo(RunState.FAILED);
    assertThat(result.error().step()).isEqualTo("inspect-cluster");
    assertThat(result.error().type()).isEqualTo(ErrorKind.VALIDATION);
    assertThat(result.error().retryable()).isFalse();
    assertThat(result.error().message())
        .contains("refuses this bootstrap configuration")
        .contains("invalid_license")
        .doesNotContain("garbage-key");
    assertThat(result.error().suggestions())
        .anySatisfy(s -> assertThat(s).contains("nothing was changed: the node is still idle"));
    assertThat(f.sim.requests("POST", "/v1/bootstrap/validate/create_cluster")).hasSize(1);
    assertThat(f.sim.requests()).noneMatch(RecordedRequest::isMutating);
    assertThat(f.sim.bootstrapState()).isEqualTo("idle");
    assertThat(result.toJson()).doesNotContain("garbage-key");
  }

  @Test
  void aNodeWithoutBootstrapValidationIsBootstrappedUnvalidated() {
    f.sim.faults().failNext(1, 404, "POST", "/v1/bootstrap/validate/");

    WorkflowResult result = f.initCluster();

    assertThat(result.status()).as(result.toJson()).isEqualTo(RunState.COMPLETED);
    assertThat(f.sim.requests("POST", "/v1/bootstrap/validate/create_cluster"))
        .extracting(RecordedRequest::status)
        .containsExactly(404);
    assertThat(f.sim.requests("POST", "/v1/bootstrap/create_cluster")).hasSize(1);
  }

  @Test
  void licenseRejectedAfterBootstrapIsPartialAndSaysTheClusterIsKept() {
    f.sim.bootstrapped("cluster.local", USER, PASSWORD);

    WorkflowResult result = f.initCluster("license", "garbage-key");

    assertThat(result.status()).isEqualTo(RunState.PARTIAL);
    assertThat(result.error().step()).isEqualTo("apply-license");
    assertThat(result.error().message()).contains("invalid_license").doesNotContain("garbage-key");
    assertThat(result.error().suggestions())
        .anySatisfy(s -> assertThat(s).contains("check the license key"))
        .anySatisfy(s -> assertThat(s).contains("bootstrapped and kept"));
    assertThat(f.sim.requests("PUT", "/v1/license")).hasSize(1);
  }

  @Test
  void badInputsAreRejectedBeforeAnyRequest() {
    assertThatThrownBy(
            () ->
                f.initCluster("databaseMemoryGb", -1.0, "redisVersion", "7.4.2", "url", "ftp://x"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("databaseMemoryGb")
        .hasMessageContaining("redisVersion")
        .hasMessageContaining("url");
    assertThat(f.sim.requests()).isEmpty();
  }

  @Test
  void tlsDatabaseWithPasswordIsPingedOverTlsWithAuth() {
    WorkflowResult result = f.initCluster("databaseTls", true, "databasePassword", "db-pass-1");

    assertThat(result.status()).as(result.toJson()).isEqualTo(RunState.COMPLETED);
    assertThat(f.sim.databaseBackend("default-db")).isEqualTo("responder");
    assertThat(result.toJson()).doesNotContain("db-pass-1");
  }
}
