package dev.opsflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.workflow.spi.RunQuery;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InputValidationTest {
  static final Key<String> HOST = Key.of("host", String.class);
  static final Key<Integer> PORT = Key.of("port", Integer.class);
  static final Key<Integer> MEMORY_GB = Key.of("memoryGb", Integer.class);
  static final Key<Duration> WAIT = Key.of("wait", Duration.class);
  static final Key<Secret> PASSWORD = Key.of("password", Secret.class);

  final WorkflowEngine engine = WorkflowEngine.builder().build();
  final AtomicInteger ran = new AtomicInteger();
  final Workflow wf =
      Workflow.builder("connect")
          .input(Input.required(HOST).describedAs("the cluster's address"))
          .input(Input.optional(PORT, 9443).check(p -> p > 0 && p < 65536, "a port (1-65535)"))
          .input(Input.optional(MEMORY_GB, 1).check(m -> m > 0, "a positive number of GB"))
          .input(Input.optional(WAIT, Duration.ofMinutes(5)))
          .input(Input.secret(PASSWORD))
          .step(
              "connect",
              ctx -> {
                ran.incrementAndGet();
                ctx.output("port", ctx.require(PORT));
                ctx.output("wait", ctx.require(WAIT).toString());
              })
          .build();

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void aMissingRequiredInputFailsBeforeAnythingRunsNamingTheInput() {
    assertThatThrownBy(() -> engine.run(wf, Map.of("password", "pw")))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("missing input 'host'")
        .hasMessageContaining("expected a String");
    assertThat(ran).hasValue(0);
    assertThat(engine.history(RunQuery.all())).isEmpty();
  }

  @Test
  void aBadValueNamesTheInputTheValueAndWhatIsExpected() {
    assertThatThrownBy(() -> engine.run(wf, Map.of("host", "h", "password", "pw", "port", "99999")))
        .isInstanceOf(ValidationException.class)
        .hasMessage("input 'port': '99999' is not a port (1-65535)");
    assertThatThrownBy(
            () -> engine.run(wf, Map.of("host", "h", "password", "pw", "memoryGb", "lots")))
        .hasMessage("input 'memoryGb': 'lots' is not a positive number of GB");
    assertThat(ran).hasValue(0);
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    assertThatThrownBy(() -> engine.run(wf, Map.of("port", "0", "colour", "blue")))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e ->
                assertThat(e.problems())
                    .hasSize(4)
                    .anySatisfy(p -> assertThat(p).contains("unknown input 'colour'"))
                    .anySatisfy(p -> assertThat(p).contains("missing input 'host'"))
                    .anySatisfy(p -> assertThat(p).contains("missing input 'password'"))
                    .anySatisfy(p -> assertThat(p).contains("'0' is not a port")));
  }

  @Test
  void stringsAreConvertedToTheDeclaredTypesAndDefaultsApply() {
    WorkflowResult result =
        engine.run(wf, Map.of("host", "h", "password", "pw", "port", "12000", "wait", "30s"));

    assertThat(result.outputs()).containsEntry("port", 12000).containsEntry("wait", "PT30S");
    WorkflowResult defaults = engine.run(wf, Map.of("host", "h", "password", "pw"));
    assertThat(defaults.outputs()).containsEntry("port", 9443).containsEntry("wait", "PT5M");
  }

  @Test
  void aBadSecretNeverShowsItsValue() {
    var strict =
        Workflow.builder("strict-secret")
            .input(
                Input.secret(PASSWORD)
                    .check(p -> p.reveal().length() >= 8, "at least 8 characters"))
            .step("x", ctx -> {})
            .build();

    assertThatThrownBy(() -> engine.run(strict, Map.of("password", "hunter2")))
        .hasMessageContaining("input 'password'")
        .hasMessageContaining("at least 8 characters")
        .hasMessageNotContaining("hunter2");
  }
}
