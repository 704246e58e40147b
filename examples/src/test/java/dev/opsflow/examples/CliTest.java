package dev.opsflow.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.StepStatus;
import dev.opsflow.workflow.WorkflowResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CLI end to end on the embedded simulators, as a new user runs it. */
class CliTest {
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Map<String, String> env, String... args) {
    try (var cli =
        new Cli(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            env::get)) {
      return cli.run(args);
    }
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theDefaultCommandInitialisesAClusterOnTheSimulator() {
    int status = run(Map.of());

    assertThat(status).isZero();
    assertThat(out())
        .contains("Running init-cluster")
        .contains("Workflow 'init-cluster' completed")
        .contains("database_created: true")
        .contains("database_name: default-db");
  }

  @Test
  void jsonOutputIsTheResultAloneWithProgressOnStderr() {
    int status = run(Map.of(), "run", "init-cluster", "skipDatabase=true", "--json");

    assertThat(status).isZero();
    WorkflowResult result = WorkflowResult.fromJson(out());
    assertThat(result.status()).isEqualTo(RunState.COMPLETED);
    assertThat(result.outputs()).containsEntry("database_created", false);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("Running init-cluster");
  }

  @Test
  void listShowsEveryBuiltInWorkflowWithItsParameters() {
    assertThat(run(Map.of(), "list")).isZero();

    assertThat(out())
        .contains(
            "init-cluster:",
            "create-database:",
            "delete-database:",
            "subscription-setup:",
            "provision-subscription:",
            "setup-aa-database:",
            "quick-database:")
        .contains("password (required) (secret)");
  }

  @Test
  void aBadArgumentIsExitStatusTwoNamingTheInput() {
    int status = run(Map.of(), "run", "init-cluster", "databaseMemoryGb=lots");

    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("databaseMemoryGb")
        .contains("'lots'");
  }

  @Test
  void aSecretCanComeFromTheEnvironmentAndIsNeverPrinted() {
    int status =
        run(
            Map.of("DB_PW", "very-secret-db-password"),
            "run",
            "create-database",
            "databaseName=cache",
            "databasePassword=@env:DB_PW",
            "--json");

    assertThat(status).isZero();
    assertThat(out()).doesNotContain("very-secret-db-password");
    assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("very-secret-db-password");
  }

  @Test
  void aMissingEnvironmentVariableIsAClearError() {
    int status =
        run(Map.of(), "run", "create-database", "databaseName=x", "databasePassword=@env:NOPE");

    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("input 'databasePassword': environment variable NOPE is not set");
  }

  @Test
  void aRedisCloudWorkflowRunsOnItsSimulator() {
    int status =
        run(Map.of(), "run", "subscription-setup", "name=demo", "region=us-east-1", "--json");

    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(WorkflowResult.fromJson(out()).success()).isTrue();
  }

  @Test
  void aRedisCloudDatabaseWithTlsIsCheckedOverTlsTrustingTheSimulatorsCertificate() {
    int status =
        run(
            Map.of(),
            "run",
            "subscription-setup",
            "name=demo-tls",
            "region=us-east-1",
            "enableTls=true",
            "--json");

    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    WorkflowResult result = WorkflowResult.fromJson(out());
    assertThat(result.success()).isTrue();
    assertThat(result.steps())
        .filteredOn(s -> s.name().equals("verify-connectivity"))
        .singleElement()
        .satisfies(s -> assertThat(s.status()).isEqualTo(StepStatus.COMPLETED));
  }
}
