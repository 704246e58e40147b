package dev.opsflow.bench.peers;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.scheduling.BackgroundJob;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.storage.InMemoryStorageProvider;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;

/**
 * JobRunr (open source edition) with in-memory storage and a background job server at its
 * shortest poll interval (5 s). A workflow is a chain of jobs: each step's job enqueues the next
 * (the open source edition has no job chaining). Not like-for-like: in-memory storage is not
 * durable, and each step waits for the server's next poll.
 */
public final class JobRunrDriver implements DriverMain.System {
  private static final Map<String, CountDownLatch> DONE = new ConcurrentHashMap<>();
  private static final Map<String, Runnable> FIRST = new ConcurrentHashMap<>();

  public static void main(String[] args) throws Exception {
    if (args.length > 1 && args[0].equals("postgres") && args[1].startsWith("kill-")) {
      JobRunrKill.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      java.lang.System.exit(0);
    }
    DriverMain.run(new JobRunrDriver(), args);
    java.lang.System.exit(0);
  }

  /** A step: the next one is enqueued as its own job, the last one releases the waiter. */
  public static void step(String runId, int n, int of) {
    if (n == 1) {
      Runnable first = FIRST.remove(runId);
      if (first != null) {
        first.run();
      }
    }
    if (n < of) {
      int next = n + 1;
      BackgroundJob.enqueue(() -> step(runId, next, of));
    } else {
      DONE.get(runId).countDown();
    }
  }

  @Override
  public void setUp() {
    JobRunr.configure()
        .useJsonMapper(new JacksonJsonMapper())
        .useStorageProvider(new InMemoryStorageProvider())
        .useBackgroundJobServer(
            BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration()
                .andPollInterval(Duration.ofSeconds(5)))
        .initialize();
  }

  private CountDownLatch start(int steps, Runnable first) {
    String id = UUID.randomUUID().toString();
    var latch = new CountDownLatch(1);
    DONE.put(id, latch);
    FIRST.put(id, first);
    BackgroundJob.enqueue(() -> step(id, 1, steps));
    return latch;
  }

  @Override
  public void roundTrip(Runnable firstStep) throws Exception {
    if (!start(3, firstStep).await(5, TimeUnit.MINUTES)) {
      throw new IllegalStateException("a JobRunr workflow did not end in 5 minutes");
    }
  }

  @Override
  public void throughput(int n) throws Exception {
    var latches = new CountDownLatch[n];
    for (int i = 0; i < n; i++) {
      latches[i] = start(5, () -> {});
    }
    for (CountDownLatch l : latches) {
      if (!l.await(10, TimeUnit.MINUTES)) {
        throw new IllegalStateException("JobRunr workflows did not end in 10 minutes");
      }
    }
  }

  @Override
  public void tearDown() {
    JobRunr.destroy();
  }
}
