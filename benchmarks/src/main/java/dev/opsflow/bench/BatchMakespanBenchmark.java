package dev.opsflow.bench;

import dev.opsflow.workflow.Poll;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.batch.Batch;
import dev.opsflow.workflow.batch.BatchItem;
import dev.opsflow.workflow.batch.BatchOptions;
import dev.opsflow.workflow.batch.BatchResult;
import dev.opsflow.workflow.batch.BatchState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A batch's makespan: 1,000 items, each a workflow of 3 steps that each wait 50 ms (the real
 * sleeper: a polling step, or {@code ctx.sleep} in the step, per {@code wait}), at most 100 in
 * flight. The ideal is 1,000 / 100 x 150 ms = 1.5 s; the score is the time from start to result,
 * one batch per invocation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 8)
@Fork(
    value = 1,
    jvmArgs = {"-Xmx2g"})
public class BatchMakespanBenchmark {
  static final int ITEMS = 1_000;
  static final int MAX_PARALLEL = 100;
  static final Duration WAIT = Duration.ofMillis(50);

  /** How a step waits: {@code poll}, a polling step; {@code sleep}, ctx.sleep in the step. */
  @Param({"poll", "sleep"})
  public String wait;

  WorkflowEngine engine;
  Workflow workflow;
  List<BatchItem> items;
  int round;

  @Setup(Level.Trial)
  public void setUp() {
    engine = WorkflowEngine.builder().build();
    var builder = Workflow.builder("power-cycle");
    for (String step : List.of("power-off", "wait-for-bmc", "power-on")) {
      builder.step(
          wait.equals("poll")
              ? Step.poll(
                  step, (ctx, polling) -> polling.count() == 1 ? Poll.again(WAIT) : Poll.done())
              : Step.of(step, ctx -> ctx.sleep(WAIT)));
    }
    workflow = builder.build();
    items = IntStream.range(0, ITEMS).mapToObj(i -> BatchItem.of("srv-" + i, Map.of())).toList();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    engine.close();
  }

  @Benchmark
  public BatchResult thousandItemsOfThreeFiftyMsStepsAtHundredInParallel() {
    // A new batch id each time, so no item is answered from the store.
    BatchResult result =
        Batch.of(items)
            .withOptions(
                BatchOptions.defaults()
                    .withBatchId("bench-" + round++)
                    .withMaxParallel(MAX_PARALLEL))
            .run(engine, workflow);
    if (result.state() != BatchState.COMPLETED) {
      throw new IllegalStateException(result.message());
    }
    return result;
  }
}
