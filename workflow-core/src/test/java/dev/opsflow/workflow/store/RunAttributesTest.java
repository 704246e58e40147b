package dev.opsflow.workflow.store;

import static dev.opsflow.workflow.store.StoreSamples.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.event.RunAttributeSource;
import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.event.WorkflowListener;
import dev.opsflow.workflow.spi.ExecutionStore;
import dev.opsflow.workflow.spi.RunRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A run's attributes are kept by every store and given back to the attribute sources when the run
 * resumes, in another engine over the same store (as after a crash).
 */
class RunAttributesTest {
  @TempDir Path dir;

  static Stream<Arguments> stores() {
    return Stream.of(
        Arguments.of("in-memory", (Function<Path, ExecutionStore>) d -> inMemory()),
        Arguments.of("file", (Function<Path, ExecutionStore>) d -> FileExecutionStore.open(d)),
        Arguments.of("jdbc-h2", (Function<Path, ExecutionStore>) d -> h2()));
  }

  private static ExecutionStore inMemory() {
    return new InMemoryExecutionStore();
  }

  private static ExecutionStore h2() {
    return JdbcExecutionStore.create(TestDatabases.h2());
  }

  /** Gives a new run a trace id and records what it is shown on each start. */
  static final class TraceSource implements WorkflowListener, RunAttributeSource {
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public Map<String, String> attributes(RunStart run) {
      calls.add((run.resumed() ? "resumed " : "new ") + run.workflow() + " " + run.attributes());
      return run.resumed() ? Map.of("resumes", "1") : Map.of("trace", "t-42");
    }

    @Override
    public void onEvent(WorkflowEvent event) {}
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void attributesAreStoredAndShownAgainWhenTheRunResumesInAnotherEngine(
      String name, Function<Path, ExecutionStore> stores) {
    ExecutionStore store = stores.apply(dir);
    var healthy = new AtomicBoolean(false);
    Workflow workflow =
        Workflow.builder("provision")
            .step("create", ctx -> {})
            .step(
                "verify",
                ctx -> {
                  if (!healthy.get()) {
                    throw new IllegalStateException("not yet");
                  }
                })
            .build();
    var first = new TraceSource();
    String runId;
    try (var engine = WorkflowEngine.builder().store(store).listener(first).build()) {
      WorkflowResult partial = engine.run(workflow, Map.of());
      assertThat(partial.status()).isEqualTo(RunState.PARTIAL);
      runId = partial.runId();
    }
    assertThat(store.find(runId).orElseThrow().attributes()).isEqualTo(Map.of("trace", "t-42"));

    healthy.set(true);
    var second = new TraceSource();
    try (var engine = WorkflowEngine.builder().store(store).listener(second).build()) {
      WorkflowResult done = engine.resume(runId, workflow).await(Duration.ofSeconds(30));
      assertThat(done.status()).isEqualTo(RunState.COMPLETED);
    }

    assertThat(first.calls).containsExactly("new provision {}");
    assertThat(second.calls).containsExactly("resumed provision {trace=t-42}");
    assertThat(store.find(runId).orElseThrow().attributes())
        .containsExactly(Map.entry("resumes", "1"), Map.entry("trace", "t-42"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void aRecordsAttributesRoundTripThroughCreateAndCommit(
      String name, Function<Path, ExecutionStore> stores) {
    ExecutionStore store = stores.apply(dir);
    RunRecord run = StoreSamples.run("r1", T0).withAttributes(Map.of("b", "2", "a", "1"));

    store.create(run);
    RunRecord stored = store.find("r1").orElseThrow();
    store.commit(stored.withAttributes(Map.of("a", "1", "b", "3")), List.of());

    assertThat(stored.attributes()).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
    assertThat(store.find("r1").orElseThrow().attributes())
        .containsExactly(Map.entry("a", "1"), Map.entry("b", "3"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void aSourceThatThrowsLeavesTheRunRunningWithoutAttributes(
      String name, Function<Path, ExecutionStore> stores) {
    ExecutionStore store = stores.apply(dir);
    class Broken implements WorkflowListener, RunAttributeSource {
      @Override
      public Map<String, String> attributes(RunStart run) {
        throw new IllegalStateException("tracer is down");
      }

      @Override
      public void onEvent(WorkflowEvent event) {}
    }
    try (var engine = WorkflowEngine.builder().store(store).listener(new Broken()).build()) {
      WorkflowResult result =
          engine.run(Workflow.builder("w").step("only", ctx -> {}).build(), Map.of());

      assertThat(result.status()).isEqualTo(RunState.COMPLETED);
      assertThat(store.find(result.runId()).orElseThrow().attributes()).isEmpty();
    }
  }
}
