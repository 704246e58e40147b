package dev.opsflow.bench;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.function.CheckedRunnable;
import dev.opsflow.workflow.Retries;
import dev.opsflow.workflow.StepOptions;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowResult;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The engine's overhead per step: a 10-step workflow of no-op steps (each with a retry policy) on
 * the in-memory store, against the baseline of calling the same 10 lambdas through Failsafe with
 * the same policy. Scores are per step ({@code @OperationsPerInvocation(10)}).
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgs = {"-Xmx2g"})
public class EngineOverheadBenchmark {
  static final int STEPS = 10;

  WorkflowEngine engine;
  Workflow workflow;
  FailsafeExecutor<Object> failsafe;
  CheckedRunnable[] lambdas;
  long counter;

  @Setup(Level.Trial)
  public void setUp() {
    engine = WorkflowEngine.builder().build();
    var options = StepOptions.defaults().withRetry(Retries.standard());
    var builder = Workflow.builder("noop10");
    lambdas = new CheckedRunnable[STEPS];
    for (int i = 0; i < STEPS; i++) {
      builder.step("step-" + i, ctx -> counter++, options);
      lambdas[i] = () -> counter++;
    }
    workflow = builder.build();
    failsafe = Failsafe.with(Retries.standard());
  }

  /** Finished runs stay in the in-memory store; drop them between iterations. */
  @TearDown(Level.Iteration)
  public void dropFinishedRuns() {
    engine.deleteFinishedOlderThan(Duration.ZERO);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    engine.close();
  }

  @Benchmark
  @OperationsPerInvocation(STEPS)
  public WorkflowResult engineTenNoOpSteps() {
    return engine.run(workflow, Map.of());
  }

  @Benchmark
  @OperationsPerInvocation(STEPS)
  public void baselineFailsafeTenLambdas(Blackhole bh) {
    for (CheckedRunnable r : lambdas) {
      failsafe.run(r);
    }
    bh.consume(counter);
  }
}
