package dev.opsflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.internal.DefaultExecutors;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ExecutorTest {
  /** Where a one-step run ran: the thread that started it, its step's, the engine's threads. */
  private record Seen(Thread run, Thread step, String scheduler) {}

  /**
   * Runs a one-step workflow on an engine over {@code executor} (null: the engine's own), with
   * {@code engine.run} when {@code sync}, else started and awaited, and says where it ran.
   */
  private static Seen runOneStep(Executor executor, boolean sync) {
    var runThread = new AtomicReference<Thread>();
    var stepThread = new AtomicReference<Thread>();
    var wf =
        Workflow.builder("where")
            .step("look", ctx -> stepThread.set(Thread.currentThread()))
            .build();
    var builder =
        WorkflowEngine.builder()
            .listener(
                e -> {
                  if (e instanceof WorkflowEvent.RunStarted) {
                    runThread.set(Thread.currentThread());
                  }
                });
    if (executor != null) {
      builder.executor(executor);
    }
    try (var engine = builder.build()) {
      if (sync) {
        engine.run(wf, Map.of());
      } else {
        engine.start(wf, Map.of()).await(Duration.ofSeconds(30));
      }
      return new Seen(runThread.get(), stepThread.get(), engine.scheduler().describe());
    }
  }

  @Test
  void runsAndTheirStepsRunOnTheEnginesOwnPlatformThreadsEvenWhereTheJvmHasVirtualThreads()
      throws Exception {
    Seen seen = runOneStep(null, false);

    boolean jvmHasThem = Runtime.version().feature() >= 21;
    assertThat(DefaultExecutors.virtualThreadsAvailable()).isEqualTo(jvmHasThem);
    assertThat(seen.scheduler())
        .startsWith(jvmHasThem ? "virtual threads" : "platform thread pool");
    // The step runs inline on the run's thread: a step that spins would pin a virtual thread's
    // carrier, so that thread is a platform thread of the engine's own, never a virtual one.
    assertThat(seen.step()).isSameAs(seen.run());
    assertThat(isVirtual(seen.run())).isFalse();
    assertThat(seen.run().getName()).startsWith(jvmHasThem ? "opsflow-attempt-" : "opsflow-");
    assertThat(seen.run().isDaemon()).isTrue();
  }

  private static boolean isVirtual(Thread t) throws Exception {
    return Runtime.version().feature() >= 21
        && (boolean) Thread.class.getMethod("isVirtual").invoke(t);
  }

  @Test
  void aHostsOwnExecutorRunsTheRunsAndIsNotShutDownByTheEngine() {
    var pool = Executors.newFixedThreadPool(2, r -> new Thread(r, "host-pool"));
    try {
      Seen seen = runOneStep(pool, false);

      assertThat(seen.run().getName()).isEqualTo("host-pool");
      // A step's attempts run on the engine's own threads, which a run can stop waiting for.
      assertThat(seen.step().getName()).isNotEqualTo("host-pool");
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
    try {
      Seen seen = runOneStep(host, false);

      assertThat(seen.scheduler()).startsWith("host executor");
      assertThat(isVirtual(seen.run())).isTrue();
      // Its attempts run on the engine's own platform threads, as with any host executor.
      assertThat(isVirtual(seen.step())).isFalse();
      assertThat(seen.step().getName()).startsWith("opsflow-attempt-");
      assertThat(host.isShutdown()).isFalse();
    } finally {
      host.shutdownNow();
    }
  }

  @Test
  void theSynchronousRunExecutesOnAnEngineThreadWhileTheCallerWaits() {
    Seen seen = runOneStep(null, true);

    // The caller waits, free to return even if a step never does; the step runs inline.
    assertThat(seen.run()).isNotSameAs(Thread.currentThread());
    assertThat(seen.step()).isSameAs(seen.run());
  }
}
