package dev.opsflow.workflow.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.workflow.Input;
import dev.opsflow.workflow.Key;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.StepOutcome;
import dev.opsflow.workflow.StepStatus;
import dev.opsflow.workflow.ValidationException;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.spi.RunRecord;
import dev.opsflow.workflow.spi.SecretResolver;
import dev.opsflow.workflow.testing.ManualClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run records its workflow's version and step names; resuming under a definition whose completed
 * steps (or the step it resumes at) changed is refused with an error that says what changed.
 * Secrets are never stored: a resumed run gets them from the host's SecretResolver.
 */
class VersionedResumeTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final Key<Secret> PASSWORD = Key.of("password", Secret.class);

  @TempDir Path dir;
  private FileExecutionStore store;
  private final ManualClock clock = new ManualClock(T0.plusSeconds(3600));
  private final Map<String, Integer> ran = new ConcurrentHashMap<>();

  @BeforeEach
  void aRunOfV1LeftAfterStepsAAndB() {
    store = FileExecutionStore.open(dir);
    List<StepOutcome> steps = List.of(done("a"), done("b"), StepOutcome.pending("c"));
    store.create(
        new RunRecord(
            "r1",
            "deploy",
            1,
            List.of("a", "b", "c"),
            null,
            RunState.RUNNING,
            false,
            false,
            null,
            Map.of(),
            Map.of(),
            Map.of(),
            steps,
            null,
            "dead",
            T0.plusSeconds(30),
            T0,
            T0,
            0));
  }

  @Test
  void aRunRecordsItsWorkflowVersionAndStepNames() {
    try (var engine = engine(SecretResolver.none())) {
      var result = engine.run(definition(7, "a", "b", "c"), Map.of());
      RunRecord stored = store.find(result.runId()).orElseThrow();
      assertThat(stored.workflowVersion()).isEqualTo(7);
      assertThat(stored.stepNames()).containsExactly("a", "b", "c");
    }
  }

  @Test
  void aRenamedCompletedStepIsRefusedNamingWhatWasRemovedAndAdded() {
    assertRefused(
        definition(2, "a", "b2", "c"), "cannot resume under v2", "removed [b]", "added [b2]");
  }

  @Test
  void reorderedCompletedStepsAreRefused() {
    assertRefused(definition(2, "b", "a", "c"), "order changed");
  }

  @Test
  void aChangedStepToResumeAtIsRefused() {
    assertRefused(definition(2, "a", "b", "x"), "removed [c]", "added [x]");
  }

  @Test
  void anotherWorkflowIsRefused() {
    var other = Workflow.builder("other").step(Step.of("a", ctx -> {})).build();
    assertThatThrownBy(() -> engine(SecretResolver.none()).resume("r1", other))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("run r1 is of workflow 'deploy', not 'other'");
  }

  @Test
  void stepsAddedAfterTheResumePointAreCompatibleAndRun() {
    try (var engine = engine(SecretResolver.none())) {
      var result =
          engine.resume("r1", definition(2, "a", "b", "c", "d")).await(Duration.ofSeconds(20));
      assertThat(result.status()).isEqualTo(RunState.COMPLETED);
      assertThat(ran).containsOnlyKeys("c", "d");
    }
  }

  @Test
  void secretsAreNotStoredAndComeBackFromTheSecretResolver() throws IOException {
    var seen = new ConcurrentHashMap<String, String>();
    var wf =
        Workflow.builder("login")
            .input(Input.secret(PASSWORD))
            .step(Step.of("use", ctx -> seen.put(ctx.runId(), ctx.require(PASSWORD).reveal())))
            .build();
    try (var engine = engine(SecretResolver.none())) {
      var first = engine.run(wf, Map.of("password", Secret.of("hunter2-first")));
      assertThat(seen).containsEntry(first.runId(), "hunter2-first");
      assertThat(Files.readString(dir.resolve(first.runId() + ".run"))).doesNotContain("hunter2");
    }
    store.create(
        new RunRecord(
            "r2",
            "login",
            1,
            List.of("use"),
            null,
            RunState.RUNNING,
            false,
            false,
            null,
            Map.of(),
            Map.of(),
            Map.of(),
            List.of(StepOutcome.pending("use")),
            null,
            "dead",
            T0,
            T0,
            T0,
            0));

    assertThatThrownBy(() -> engine(SecretResolver.none()).resume("r2", wf))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("password")
        .hasMessageContaining("SecretResolver must supply them");

    SecretResolver vault =
        (workflow, runId, input) ->
            Optional.of(Secret.of("hunter2-" + workflow + "-" + runId + "-" + input));
    try (var engine = engine(vault)) {
      clock.advance(Duration.ofHours(1));
      assertThat(engine.resume("r2", wf).await(Duration.ofSeconds(20)).status())
          .isEqualTo(RunState.COMPLETED);
    }
    assertThat(seen).containsEntry("r2", "hunter2-login-r2-password");
    assertThat(Files.readString(dir.resolve("r2.run"))).doesNotContain("hunter2");
  }

  private void assertRefused(Workflow v2, String... fragments) {
    try (var engine = engine(SecretResolver.none())) {
      var thrown =
          assertThatThrownBy(() -> engine.resume("r1", v2))
              .isInstanceOf(ValidationException.class)
              .hasMessageContaining("run r1 of 'deploy' v1");
      for (String f : fragments) {
        thrown.hasMessageContaining(f);
      }
    }
    assertThat(ran).isEmpty();
    assertThat(store.find("r1").orElseThrow().owner()).isEqualTo("dead");
  }

  private WorkflowEngine engine(SecretResolver secrets) {
    return WorkflowEngine.builder()
        .store(store)
        .clock(clock)
        .sleeper(clock)
        .secretResolver(secrets)
        .build();
  }

  private Workflow definition(int version, String... steps) {
    var b = Workflow.builder("deploy").version(version);
    for (String s : steps) {
      b.step(Step.of(s, ctx -> ran.merge(s, 1, Integer::sum)));
    }
    return b.build();
  }

  private static StepOutcome done(String name) {
    return new StepOutcome(name, StepStatus.COMPLETED, 1, 10, T0, T0, null, null, null);
  }
}
