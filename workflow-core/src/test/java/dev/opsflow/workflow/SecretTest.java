package dev.opsflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.spi.RunQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SecretTest {
  static final Key<Secret> PASSWORD = Key.of("password", Secret.class);
  static final Key<String> USER = Key.of("user", String.class);

  @Test
  void aSecretPrintsAndSerialisesMasked() {
    Secret s = Secret.of("s3cret-value");

    assertThat(s.toString()).isEqualTo("****");
    assertThat(Json.mapper().writeValueAsString(Map.of("pw", s))).isEqualTo("{\"pw\":\"****\"}");
    assertThat(s.reveal()).isEqualTo("s3cret-value");
  }

  @Test
  void aSecretIsAbsentFromResultEventsStatusStoredRecordAndLogs() throws Exception {
    String clear = "pw-" + UUID.randomUUID();
    var recorder = new Recorder();
    var wf =
        Workflow.builder("login")
            .input(Input.required(USER))
            .input(Input.secret(PASSWORD))
            .step(
                "login",
                ctx -> {
                  Secret pw = ctx.require(PASSWORD);
                  ctx.log().info("logging in {} with password {}", ctx.require(USER), pw);
                  ctx.subTask("authenticating " + ctx.require(USER) + " with " + pw);
                  ctx.output("user", ctx.require(USER));
                  ctx.put(Key.of("token", Secret.class), Secret.of(clear + "-derived"));
                })
            .step(
                "fail",
                ctx -> {
                  throw new IllegalStateException("server refused " + ctx.require(PASSWORD));
                })
            .build();
    try (var engine = WorkflowEngine.builder().listener(recorder).build()) {

      WorkflowResult result = engine.run(wf, Map.of("user", "admin", "password", clear));

      assertThat(result.toJson()).doesNotContain(clear).contains("admin");
      assertThat(Json.mapper().writeValueAsString(recorder.events))
          .doesNotContain(clear)
          .contains("****");
      assertThat(engine.status(result.runId()).orElseThrow().toString()).doesNotContain(clear);
      var stored = engine.history(RunQuery.all());
      assertThat(Json.mapper().writeValueAsString(stored))
          .doesNotContain(clear)
          .doesNotContain("password");
      assertThat(stored.get(0).inputs()).containsOnlyKeys("user");
      Path log = Path.of("target", "test-logs.txt");
      if (Files.exists(log)) {
        assertThat(Files.readString(log))
            .contains("logging in admin with password ****")
            .doesNotContain(clear);
      }
    }
  }

  @Test
  void aSecretCannotBeAnOutput() {
    var wf =
        Workflow.builder("leak")
            .step("x", ctx -> ctx.output("password", Secret.of("nope")))
            .build();
    try (var engine = WorkflowEngine.builder().build()) {

      WorkflowResult result = engine.run(wf, Map.of());

      assertThat(result.success()).isFalse();
      assertThat(result.outputs()).isEmpty();
      assertThat(result.error().message()).contains("outputs are never secret");
    }
  }
}
