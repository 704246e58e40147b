package dev.opsflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.opsflow.workflow.internal.DefaultExecutors;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ExecutorTest {

  @Test
  void runsAndTheirStepsRunOnTheEnginesOwnPlatformThreadsEvenWhereTheJvmHasVirtualThreads()
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
      assertThat(engine.scheduler().describe())
          .startsWith(jvmHasThem ? "virtual threads" : "platform thread pool");
      // The step runs inline on the run's thread: a step that spins would pin a virtual thread's
      // carrier, so that thread is a platform thread of the engine's own, never a virtual one.
      assertThat(stepThread.get()).isSameAs(runThread.get());
      assertThat(isVirtual(runThread.get())).isFalse();
      assertThat(runThread.get().getName())
          .startsWith(jvmHasThem ? "opsflow-attempt-" : "opsflow-");
      assertThat(runThread.get().isDaemon()).isTrue();
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
  void aHostsVirtualThreadExecutorIsTheHostsToo() throws Exception {
    // The engine tells its own virtual-thread executor by the type it made, not by the JDK's
    // class: the same JDK executor given by a host runs the host's runs, as any host executor does.
    assumeTrue(DefaultExecutors.virtualThreadsAvailable(), "no virtual threads before JDK 21");
    var host =
        (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    var runThread = new AtomicReference<Thread>();
    var stepThread = new AtomicReference<Thread>();
    var wf =
        Workflow.builder("host-virtual")
            .step("look", ctx -> stepThread.set(Thread.currentThread()))
            .build();
    try {
      try (var engine =
          WorkflowEngine.builder()
              .executor(host)
              .listener(
                  e -> {
                    if (e instanceof dev.opsflow.workflow.event.WorkflowEvent.RunStarted) {
                      runThread.set(Thread.currentThread());
                    }
                  })
              .build()) {
        engine.start(wf, Map.of()).await(Duration.ofSeconds(30));
        assertThat(engine.scheduler().describe()).startsWith("host executor");
      }

      assertThat(isVirtual(runThread.get())).isTrue();
      // Its attempts run on the engine's own platform threads, as with any host executor.
      assertThat(isVirtual(stepThread.get())).isFalse();
      assertThat(stepThread.get().getName()).startsWith("opsflow-attempt-");
      assertThat(host.isShutdown()).isFalse();
    } finally {
      host.shutdownNow();
    }
  }

  @Test
  void theSynchronousRunExecutesOnAnEngineThreadWhileTheCallerWaits() {
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

      // The caller waits, free to return even if a step never does; the step runs inline.
      assertThat(runThread.get()).isNotSameAs(Thread.currentThread());
      assertThat(stepThread.get()).isSameAs(runThread.get());
    }
  }
}
