package dev.opsflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.internal.DefaultExecutors;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ExecutorTest {

  @Test
  void runsUseVirtualThreadsExactlyWhenTheJvmHasThemAndAttemptsAlwaysPlatformThreads()
      throws Exception {
    var runThread = new AtomicReference<Thread>();
    var stepThread = new AtomicReference<Thread>();
    var wf =
        Workflow.builder("where")
            .step("look", ctx -> stepThread.set(Thread.currentThread()))
            .build();
    try (var engine =
        WorkflowEngine.builder()
            .listener(
                e -> {
                  if (e instanceof dev.opsflow.workflow.event.WorkflowEvent.RunStarted) {
                    runThread.set(Thread.currentThread());
                  }
                })
            .build()) {

      engine.start(wf, Map.of()).await(Duration.ofSeconds(30));

      boolean jvmHasThem = Runtime.version().feature() >= 21;
      assertThat(DefaultExecutors.virtualThreadsAvailable()).isEqualTo(jvmHasThem);
      assertThat(isVirtual(runThread.get())).isEqualTo(jvmHasThem);
      if (!jvmHasThem) {
        assertThat(runThread.get().getName()).startsWith("opsflow-");
        assertThat(runThread.get().isDaemon()).isTrue();
      }
      // A step that spins would pin a virtual thread's carrier: attempts never run on one.
      assertThat(isVirtual(stepThread.get())).isFalse();
      assertThat(stepThread.get().getName()).startsWith("opsflow-attempt-");
      assertThat(stepThread.get().isDaemon()).isTrue();
    }
  }

  private static boolean isVirtual(Thread t) throws Exception {
    return Runtime.version().feature() >= 21
        && (boolean) Thread.class.getMethod("isVirtual").invoke(t);
  }

  @Test
  void aHostsOwnExecutorRunsTheRunsAndIsNotShutDownByTheEngine() throws Exception {
    var pool = Executors.newFixedThreadPool(2, r -> new Thread(r, "host-pool"));
    var runThread = new AtomicReference<String>();
    var stepThread = new AtomicReference<String>();
    var wf =
        Workflow.builder("host")
            .step("look", ctx -> stepThread.set(Thread.currentThread().getName()))
            .build();
    try {
      try (var engine =
          WorkflowEngine.builder()
              .executor(pool)
              .listener(
                  e -> {
                    if (e instanceof dev.opsflow.workflow.event.WorkflowEvent.RunStarted) {
                      runThread.set(Thread.currentThread().getName());
                    }
                  })
              .build()) {
        engine.start(wf, Map.of()).await(Duration.ofSeconds(30));
      }

      assertThat(runThread.get()).isEqualTo("host-pool");
      // A step's attempts run on the engine's own threads, which a run can stop waiting for.
      assertThat(stepThread.get()).isNotEqualTo("host-pool");
      assertThat(pool.isShutdown()).isFalse();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theSynchronousRunExecutesOnTheCallersThreadAndItsStepsOnTheEnginesOwn() {
    var runThread = new AtomicReference<Thread>();
    var stepThread = new AtomicReference<Thread>();
    var wf =
        Workflow.builder("inline")
            .step("look", ctx -> stepThread.set(Thread.currentThread()))
            .build();
    try (var engine =
        WorkflowEngine.builder()
            .listener(
                e -> {
                  if (e instanceof dev.opsflow.workflow.event.WorkflowEvent.RunStarted) {
                    runThread.set(Thread.currentThread());
                  }
                })
            .build()) {

      engine.run(wf, Map.of());

      assertThat(runThread.get()).isSameAs(Thread.currentThread());
      assertThat(stepThread.get()).isNotSameAs(Thread.currentThread());
    }
  }
}
