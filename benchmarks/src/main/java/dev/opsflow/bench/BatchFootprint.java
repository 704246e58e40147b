package dev.opsflow.bench;

import dev.opsflow.workflow.Poll;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.batch.Batch;
import dev.opsflow.workflow.batch.BatchItem;
import dev.opsflow.workflow.batch.BatchOptions;
import dev.opsflow.workflow.batch.BatchResult;
import dev.opsflow.workflow.batch.BatchRun;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * What 10,000 item runs in flight at once cost: each run waits an hour (as a run polling a task or
 * a power cycle does) while the heap (after GC), the live threads and the process's resident memory
 * are measured; then the batch is cancelled. The wait is a polling step ({@code poll}, the default:
 * no thread held between polls) or a {@code ctx.sleep} inside a step ({@code sleep}: the run's
 * thread waits). Run with {@code java -cp benchmarks/target/benchmarks.jar
 * dev.opsflow.bench.BatchFootprint [items] [poll|sleep]}.
 */
public final class BatchFootprint {
  private BatchFootprint() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    boolean poll = args.length < 2 || args[1].equals("poll");
    var memory = ManagementFactory.getMemoryMXBean();
    var threads = ManagementFactory.getThreadMXBean();
    var waiting = new CountDownLatch(n);
    Workflow wf =
        Workflow.builder("power-cycle")
            .step("power-off", ctx -> {})
            .step(
                poll
                    ? Step.poll(
                        "wait-for-bmc",
                        (ctx, polling) -> {
                          ctx.subTask("waiting for the BMC");
                          waiting.countDown();
                          return Poll.again(Duration.ofHours(1));
                        })
                    : Step.of(
                        "wait-for-bmc",
                        ctx -> {
                          ctx.subTask("waiting for the BMC");
                          waiting.countDown();
                          ctx.sleep(Duration.ofHours(1));
                        }))
            .build();
    List<BatchItem> items =
        IntStream.range(0, n).mapToObj(i -> BatchItem.of("srv-" + i, Map.of())).toList();
    try (var engine = WorkflowEngine.builder().build()) {
      // Warm up the engine's code paths on a small batch, so the measure is of runs, not classes.
      Batch.of(items.subList(0, 100))
          .withOptions(BatchOptions.defaults().withMaxParallel(100))
          .run(engine, Workflow.builder("warm-up").step("noop", ctx -> {}).build());
      long heapBefore = settledHeap(memory);
      int threadsBefore = threads.getThreadCount();
      long rssBefore = rssKb();
      long t0 = System.nanoTime();

      BatchRun run =
          Batch.of(items).withOptions(BatchOptions.defaults().withMaxParallel(n)).start(engine, wf);
      if (!waiting.await(5, TimeUnit.MINUTES)) {
        throw new IllegalStateException("not all runs reached their wait: " + run.status());
      }
      long rampMs = (System.nanoTime() - t0) / 1_000_000;
      int threadsInFlight = threads.getThreadCount();
      long heapInFlight = settledHeap(memory);
      long rssInFlight = rssKb();
      int running = run.status().running();

      long t1 = System.nanoTime();
      run.cancel();
      BatchResult result = run.await(Duration.ofMinutes(5));
      long cancelMs = (System.nanoTime() - t1) / 1_000_000;

      System.out.printf(
          "JDK %s (%s), scheduler: %s%n",
          Runtime.version(), System.getProperty("java.vm.name"), engine.scheduler().describe());
      System.out.printf(
          "in flight: %d runs waiting in %s (reached in %d ms)%n",
          running, poll ? "a polling step" : "ctx.sleep", rampMs);
      System.out.printf(
          "heap after GC: %.1f MB before, %.1f MB in flight: %.1f KB per run%n",
          heapBefore / 1e6, heapInFlight / 1e6, (heapInFlight - heapBefore) / 1024.0 / n);
      System.out.printf(
          "live threads: %d before, %d in flight (peak %d)%n",
          threadsBefore, threadsInFlight, threads.getPeakThreadCount());
      System.out.printf(
          "resident memory: %.1f MB before, %.1f MB in flight: %.1f KB per run%n",
          rssBefore / 1024.0, rssInFlight / 1024.0, (rssInFlight - rssBefore) / (double) n);
      System.out.printf(
          "cancel of all: %d ms, result %s, %s%n", cancelMs, result.state(), result.counts());
    }
  }

  private static long settledHeap(java.lang.management.MemoryMXBean memory)
      throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(100);
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  private static long rssKb() throws java.io.IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return -1;
  }
}
