package dev.opsflow.workflow.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.batch.Batch;
import dev.opsflow.workflow.batch.BatchItem;
import dev.opsflow.workflow.testing.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * An attribute source takes what it needs from the thread that asks for a run, and is handed it
 * back on the thread that executes the run (as a tracer does with the caller's span).
 */
class CallerContextTest {
  /** The host's request, as a thread-local of the calling thread (like a tracing context). */
  static final ThreadLocal<String> REQUEST = new ThreadLocal<>();

  /** Takes the caller's request and records what each run is handed, and on which thread. */
  static class RequestSource implements WorkflowListener, RunAttributeSource {
    final List<String> seen = new CopyOnWriteArrayList<>();
    final List<Thread> threads = new CopyOnWriteArrayList<>();

    @Override
    public Object captureCaller() {
      return REQUEST.get();
    }

    @Override
    public Map<String, String> attributes(RunStart run) {
      seen.add(run.workflow() + " " + run.caller());
      threads.add(Thread.currentThread());
      return Map.of();
    }

    @Override
    public void onEvent(WorkflowEvent event) {}
  }

  final ManualClock clock = new ManualClock();
  final RequestSource source = new RequestSource();
  static final Workflow ONE_STEP = Workflow.builder("w").step("s", ctx -> {}).build();

  WorkflowEngine engine() {
    return WorkflowEngine.builder().clock(clock).sleeper(clock).listener(source).build();
  }

  @Test
  void aStartedRunIsHandedWhatWasTakenOnTheCallersThread() {
    try (var engine = engine()) {
      REQUEST.set("request-1");
      var run = engine.start(ONE_STEP, Map.of());
      REQUEST.remove();
      run.await(Duration.ofSeconds(30));
    }

    assertThat(source.seen).containsExactly("w request-1");
    assertThat(source.threads).doesNotContain(Thread.currentThread());
  }

  @Test
  void aRunAskedForWithNothingToTakeIsHandedNull() {
    try (var engine = engine()) {
      engine.run(ONE_STEP, Map.of());
    }

    assertThat(source.seen).containsExactly("w null");
  }

  @Test
  void everyItemOfABatchIsHandedWhatWasTakenAsTheBatchStarted() {
    try (var engine = engine()) {
      REQUEST.set("request-2");
      var batch =
          Batch.of(List.of(BatchItem.of("a", Map.of()), BatchItem.of("b", Map.of())))
              .start(engine, ONE_STEP);
      REQUEST.remove();
      batch.await();
    }

    assertThat(source.seen).containsExactly("w request-2", "w request-2");
  }

  @Test
  void aSourceThatThrowsWhileTakingLeavesTheRunToGoOn() {
    var failing =
        new RequestSource() {
          @Override
          public Object captureCaller() {
            throw new IllegalStateException("no context here");
          }
        };
    try (var engine = WorkflowEngine.builder().clock(clock).listener(failing).build()) {
      assertThat(engine.run(ONE_STEP, Map.of()).status().name()).isEqualTo("COMPLETED");
    }

    assertThat(failing.seen).containsExactly("w null");
  }
}
