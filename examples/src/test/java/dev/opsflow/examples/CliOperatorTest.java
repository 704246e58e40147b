package dev.opsflow.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.redis.enterprise.testing.RedisEnterpriseSimulator;
import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.spi.RunQuery;
import dev.opsflow.workflow.store.FileExecutionStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The command as a script sees it, in this JVM: every input checked before anything runs, exit
 * statuses, the JSON error envelope alone on stdout, profiles. Stores and config under a temp dir.
 */
class CliOperatorTest {
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  @TempDir Path state;

  private int run(Map<String, String> given, String... args) {
    out.reset();
    err.reset();
    var env = new HashMap<>(given);
    env.putIfAbsent("OPSFLOW_STORE", state.resolve("store").toString());
    env.putIfAbsent("XDG_CONFIG_HOME", state.resolve("config").toString());
    try (var cli =
        new Cli(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            env::get,
            world -> Targets.simulators(HardwareSimulators.Timings.INSTANT, world))) {
      return cli.run(args);
    }
  }

  private int run(String... args) {
    return run(Map.of(), args);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** The JSON error envelope on stdout (parsing fails if anything else is there). */
  private JsonNode envelope() {
    return Json.mapper().readTree(out());
  }

  @Test
  void redisctlsCiLineIsAcceptedWithThePasswordFromTheEnvironment() {
    int status =
        run(
            Map.of("RE_PW", "not-on-the-command-line"),
            "run",
            "init-cluster",
            "--cluster-name",
            "ci-cluster",
            "--username",
            "ci@cluster.local",
            "--password",
            "@env:RE_PW",
            "--skip-database",
            "--output",
            "json",
            "--wait-timeout",
            "300",
            "--dry-run");

    assertThat(status).as(err()).isZero();
    WorkflowResult result = WorkflowResult.fromJson(out());
    assertThat(result.status()).isEqualTo(RunState.COMPLETED);
    assertThat(out() + err()).doesNotContain("not-on-the-command-line");
  }

  @Test
  void aSecretInClearIsRefusedForEveryWorkflowShowingTheThreeWays() {
    for (String[] args :
        new String[][] {
          {"run", "init-cluster", "password=hunter2-clear"},
          {"run", "init-cluster", "--password", "hunter2-clear"},
          {"run", "commission-server", "maasApiKey=hunter2-clear"},
          {"run", "create-database", "databaseName=x", "databasePassword=hunter2-clear"}
        }) {
      assertThat(run(args)).as(String.join(" ", args)).isEqualTo(2);
      assertThat(err())
          .contains("is a secret")
          .contains("=@env:VARIABLE", "=@file:PATH", "=@prompt")
          .doesNotContain("hunter2-clear");
      assertThat(out()).isEmpty();
    }
  }

  @Test
  void aSecretMayComeFromAFile() throws Exception {
    Path pw = Files.writeString(state.resolve("db.pw"), "from-a-file\n");
    int status =
        run(
            "run",
            "create-database",
            "databaseName=filed",
            "databasePassword=@file:" + pw,
            "--json");

    assertThat(status).as(err()).isZero();
    assertThat(out() + err()).doesNotContain("from-a-file");
  }

  @Test
  void badValuesAreUsageErrorsNamingTheInputBeforeAnythingRuns() throws Exception {
    Path notPem = Files.writeString(state.resolve("not.pem"), "hello");
    String huge = "x".repeat(100_000);
    Object[][] cases = {
      {
        new String[] {"url=https://host:99999"},
        "input 'url': 'https://host:99999' has a port out of range"
      },
      {
        new String[] {"url=https://host:0"}, "input 'url': 'https://host:0' has a port out of range"
      },
      {new String[] {"url=ftp://host"}, "is not an http(s) URL"},
      {
        new String[] {"caCertFile=/nonexistent.pem"},
        "input 'caCertFile': '/nonexistent.pem' is not a file"
      },
      {new String[] {"caCertFile=" + notPem}, "holds no PEM certificate"},
      {
        new String[] {"databaseName=a", "databaseName=b"},
        "input 'databaseName' is given twice ('a' and 'b')"
      },
      {new String[] {"=x"}, "has no input name"},
      {new String[] {"databaseName=" + huge}, "(100000 characters)"},
      {new String[] {"--key", ""}, "--key: the idempotency key is blank"},
      {new String[] {"--wait-timeout", "soon"}, "--wait-timeout: 'soon' is not a duration"},
    };
    for (Object[] c : cases) {
      String[] inputs = (String[]) c[0];
      String[] args = new String[inputs.length + 3];
      args[0] = "run";
      args[1] = "init-cluster";
      System.arraycopy(inputs, 0, args, 2, inputs.length);
      args[args.length - 1] = "--json";
      assertThat(run(args)).as(String.valueOf(c[1])).isEqualTo(2);
      JsonNode e = envelope();
      assertThat(e.get("code").asInt()).isEqualTo(2);
      assertThat(e.get("type").asString()).isEqualTo("usage");
      assertThat(e.get("message").asString()).contains((String) c[1]);
      assertThat(e.get("message").asString().length()).isLessThan(1000);
    }
    // The embedded simulators may have made their world beside the store; no run is in it.
    assertThat(
            !Files.exists(state.resolve("store"))
                || FileExecutionStore.open(state.resolve("store")).query(RunQuery.all()).isEmpty())
        .as("no run was created")
        .isTrue();
  }

  @Test
  void exitStatusesOfTheCommandsOwnFailures() throws Exception {
    assertThat(run("run", "init-cluster", "--bogus-flag-without-input")).isEqualTo(6);
    assertThat(run("frobnicate")).isEqualTo(2);
    assertThat(run("run", "no-such-workflow", "--json")).isEqualTo(5);
    assertThat(envelope().get("type").asString()).isEqualTo("not_found");
    assertThat(run("status", "no-such-run", "--json")).isEqualTo(5);
    assertThat(run("events", "no-such-run")).isEqualTo(5);
    assertThat(run("resume", "no-such-run")).isEqualTo(5);
    assertThat(run(Map.of("OPSFLOW_STORE", "/dev/null/store"), "history", "--json")).isEqualTo(3);
    assertThat(envelope().get("type").asString()).isEqualTo("configuration");
  }

  @Test
  void aFinishedRunHasNothingToCancelOrResumeAndItsJournalAndHistoryShowIt() {
    assertThat(run("run", "init-cluster", "--dry-run", "--json")).isZero();
    String runId = WorkflowResult.fromJson(out()).runId();

    assertThat(run("cancel", runId, "--json")).isEqualTo(7);
    assertThat(envelope().get("runId").asString()).isEqualTo(runId);
    assertThat(run("resume", runId, "--json")).as("completed: its result again").isZero();
    assertThat(WorkflowResult.fromJson(out()).runId()).isEqualTo(runId);
    assertThat(run("status", runId, "--json")).isZero();
    assertThat(Json.mapper().readTree(out()).get("state").asString()).isEqualTo("COMPLETED");
    assertThat(run("events", runId, "--json")).isZero();
    assertThat(Json.mapper().readTree(out()).get(0).get("type").asString())
        .isEqualTo("run-started");
    assertThat(run("history", "--workflow", "init-cluster", "--status", "completed", "--json"))
        .isZero();
    assertThat(Json.mapper().readTree(out()).get(0).get("runId").asString()).isEqualTo(runId);
    assertThat(run("history", "--status", "sideways")).isEqualTo(2);
  }

  @Test
  void aRunPastItsWaitTimeoutExitsEleven() {
    // The simulated bootstrap takes 3 s.
    int status = run("run", "init-cluster", "--wait-timeout", "500ms", "--json");

    assertThat(status).as(err()).isEqualTo(11);
    WorkflowResult ended = WorkflowResult.fromJson(out());
    assertThat(ended.success()).isFalse();

    // Another invocation meets the same simulated cluster (kept beside the store) and continues
    // the run there; it keeps its bound of 500 ms, so it ends past it again.
    int resumed = run("resume", ended.runId(), "--json");
    assertThat(resumed).as(err()).isNotEqualTo(3).isIn(11, 12);
    WorkflowResult again = WorkflowResult.fromJson(out());
    assertThat(again.runId()).isEqualTo(ended.runId());
    assertThat(again.success()).isFalse();
  }

  @Test
  void refusedCredentialsExitFour() throws Exception {
    try (var cluster = RedisEnterpriseSimulator.builder().start()) {
      cluster.bootstrapped("c1", "admin@c1.local", "the-right-password");
      Path ca = Files.writeString(state.resolve("ca.pem"), cluster.certificatePem());

      int status =
          run(
              Map.of("PW", "a-wrong-password"),
              "run",
              "create-database",
              "--target",
              "real",
              "url=" + cluster.url(),
              "username=admin@c1.local",
              "password=@env:PW",
              "caCertFile=" + ca,
              "databaseName=cache",
              "--json");

      assertThat(status).as(out() + err()).isEqualTo(4);
      assertThat(WorkflowResult.fromJson(out()).error().type().name()).isEqualTo("AUTH");
    }
  }

  @Test
  void aRemoteConflictARemoteErrorAndAFailureAfterKeptWorkEachHaveTheirStatus() throws Exception {
    try (var cluster = RedisEnterpriseSimulator.builder().start()) {
      cluster.bootstrapped("c1", "admin@c1.local", "pw");
      Path ca = Files.writeString(state.resolve("ca.pem"), cluster.certificatePem());
      var env = Map.of("PW", "pw");
      String[] args = {
        "run",
        "create-database",
        "--target",
        "real",
        "url=" + cluster.url(),
        "username=admin@c1.local",
        "password=@env:PW",
        "caCertFile=" + ca,
        "databaseName=cache",
        "--json"
      };

      cluster.faults().failNext(1, 409, "POST", "/v1/bdbs");
      assertThat(run(env, args)).as(out()).isEqualTo(7);
      cluster.faults().reset().failNext(1, 400, "GET", "/v1/bdbs");
      assertThat(run(env, args)).as("failed at the first step").isEqualTo(8);
      // The database is created, then its creation fails: the created step is kept.
      cluster.faults().reset().nextActionFails("bdb_create_failed", "no memory left");
      assertThat(run(env, args)).as(out()).isEqualTo(13);
      WorkflowResult partial = WorkflowResult.fromJson(out());
      assertThat(partial.status()).isEqualTo(RunState.PARTIAL);
      assertThat(partial.error().suggestions())
          .anyMatch(x -> x.contains("opsflow resume " + partial.runId()))
          .noneMatch(x -> x.contains("engine.resume"));
    }
  }

  @Test
  void aProfileGivesTheTargetAndIsShownWithSecretsMasked() throws Exception {
    try (var cluster = RedisEnterpriseSimulator.builder().start()) {
      cluster.bootstrapped("c1", "admin@c1.local", "profile-password");
      Path ca = Files.writeString(state.resolve("ca.pem"), cluster.certificatePem());
      Path dir = Files.createDirectories(state.resolve("config/opsflow"));
      Path config =
          Files.writeString(
              dir.resolve("config.yaml"),
              "default: lab\n"
                  + "profiles:\n"
                  + "  lab:\n"
                  + "    url: "
                  + cluster.url()
                  + "\n    username: admin@c1.local\n"
                  + "    password: \"@env:LAB_PW\"\n"
                  + "    caCertFile: "
                  + ca
                  + "\n");
      Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
      var env = Map.of("LAB_PW", "profile-password");

      assertThat(run(env, "profile", "list")).isZero();
      assertThat(out()).contains("lab (default)");
      assertThat(run(env, "profile", "show", "lab")).isZero();
      assertThat(out()).contains("password: @env:LAB_PW").doesNotContain("profile-password");
      int status =
          run(
              env,
              "run",
              "create-database",
              "databaseName=from-profile",
              "--target",
              "real",
              "--json");
      assertThat(status).as(out() + err()).isZero();

      Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
      assertThat(run(env, "profile", "list", "--json")).isEqualTo(3);
      assertThat(envelope().get("message").asString()).contains("chmod 600");

      Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
      Files.writeString(config, "profiles:\n  bad:\n    password: in-clear\n");
      assertThat(run(env, "profile", "list")).isEqualTo(3);
      assertThat(err()).contains("'password' is a secret in clear").doesNotContain("in-clear\n");
    }
  }

  @Test
  void theDryRunOfFirmwareFirstValidatesAgainstThePlannedStateAndExitsZero() {
    int status = run("run", "firmware-first-provisioning", "--dry-run", "--json");

    assertThat(status).as(out() + err()).isZero();
    WorkflowResult result = WorkflowResult.fromJson(out());
    assertThat(result.status()).isEqualTo(RunState.COMPLETED);
    assertThat(result.step("validate").orElseThrow().status().name()).isEqualTo("COMPLETED");
    assertThat(result.step("update-firmware").orElseThrow().status().name()).isEqualTo("DRY_RUN");
    assertThat(err()).contains("validate...", "Dry run: ");
  }

  @Test
  void describeShowsTheStepsInOrderWithWhatTheyChange() {
    assertThat(run("describe", "init-cluster", "--json")).isZero();
    JsonNode doc = Json.mapper().readTree(out());
    assertThat(doc.get("steps").get(0).get("name").asString()).isEqualTo("inspect-cluster");
    assertThat(doc.get("steps").get(0).get("changes").asBoolean()).isFalse();
    assertThat(doc.get("inputs").toString()).contains("password");

    assertThat(run("describe", "server-provisioning")).isZero();
    assertThat(out()).contains("Steps, in order:", " 1. check-inputs", "changes state");
    assertThat(run("version")).isZero();
    assertThat(out()).startsWith("opsflow ");
  }
}
