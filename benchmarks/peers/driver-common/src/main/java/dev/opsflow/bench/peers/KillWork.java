package dev.opsflow.bench.peers;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CountDownLatch;

/**
 * The workload of the kill -9 comparison ({@code KillComparison}), the same for every system: a run
 * has 5 steps, each appends "run step" to the effects file and then sleeps ({@code
 * -Dopsflow.bench.kill.step.ms}, default 20 ms), so that the comparison counts from the file the
 * steps that ran twice and the steps that never ran. A JVM that started its runs prints {@code
 * started} and waits for its SIGKILL; a JVM that recovered them prints {@code complete=<runs
 * complete> ms=<JVM start to all complete>}. In a starting JVM, steps wait until every run was
 * started (its start returned: the system holds it), so that the kill finds all runs in the middle,
 * none not yet started, whichever order a system starts them in. This one source is compiled into
 * the benchmarks module and into each peer's driver project (they share no classpath), each adding
 * benchmarks/peers/driver-common as a source directory.
 */
final class KillWork {
  /** The steps of a run. */
  static final String[] STEPS = {"s1", "s2", "s3", "s4", "s5"};

  private static final long STEP_MS = Long.getLong("opsflow.bench.kill.step.ms", 20);
  private static final CountDownLatch STARTED = new CountDownLatch(1);
  private static Path effects;

  private KillWork() {}

  /** Sets the effects file of this JVM, and whether it is the one that recovers (no waiting). */
  static void effects(String file, String mode) {
    effects = Path.of(file);
    if (mode.equals("kill-recover")) {
      STARTED.countDown();
    }
  }

  /** A step's work: its line in the effects file, then the step's time. */
  static void step(String runId, String step) throws InterruptedException {
    STARTED.await();
    append(runId + " " + step);
    Thread.sleep(STEP_MS);
  }

  /** The id of run {@code i}. */
  static String runId(int i) {
    return "kr-" + i;
  }

  /** Tells the comparison that every run was started (it then waits for 40 % of the steps). */
  static void started() {
    STARTED.countDown();
    System.out.println("started");
    System.out.flush();
  }

  /** Tells the comparison that {@code complete} runs are complete, and since when. */
  static void complete(int complete) {
    long ms = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
    System.out.println("complete=" + complete + " ms=" + ms);
    System.out.flush();
  }

  private static synchronized void append(String line) {
    try {
      Files.writeString(
          effects,
          line + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
