package dev.opsflow.bench.peers;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.scheduling.BackgroundJob;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.storage.JobStats;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.navigation.AmountRequest;
import org.jobrunr.storage.sql.common.SqlStorageProviderFactory;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;

/**
 * JobRunr in the kill -9 comparison, on durable storage: its SQL storage provider on PostgreSQL
 * ({@code SqlStorageProviderFactory.using} a Hikari pool, as its documentation shows), a background
 * job server at the comparison's poll interval (5 s, its shortest) and its default server timeout
 * (4 polls). A run is a chain of jobs as in {@link JobRunrDriver}: each of {@link KillWork}'s steps
 * is a job that enqueues the next. {@code postgres kill-start <effects> <runs>} enqueues the runs'
 * first jobs and waits for its SIGKILL; {@code postgres kill-recover <effects> <runs>} starts a
 * server on the same storage and does nothing else: the jobs the killed server held stay
 * PROCESSING until a server finds them orphaned (no heartbeat of their server for the server
 * timeout) and fails them, and JobRunr's default retry filter enqueues them again after its back
 * off. All runs are complete when no job is waiting, scheduled or processing and every run's last
 * step's job succeeded.
 */
public final class JobRunrKill {
  private JobRunrKill() {}

  /**
   * A step's job: the step, then the next one's job.
   *
   * @param runId the run
   * @param n the step's number, from 1
   * @param of the run's steps
   * @throws InterruptedException when interrupted in the step
   */
  public static void step(String runId, int n, int of) throws InterruptedException {
    KillWork.step(runId, KillWork.STEPS[n - 1]);
    if (n < of) {
      int next = n + 1;
      BackgroundJob.enqueue(() -> step(runId, next, of));
    }
  }

  static void main(String[] args) throws Exception {
    KillWork.effects(args[1], args[0]);
    int runs = Integer.parseInt(args[2]);
    int steps = KillWork.STEPS.length;
    var hikari = new HikariConfig();
    hikari.setJdbcUrl(PeerDatabase.url());
    hikari.setUsername(PeerDatabase.user());
    hikari.setPassword(PeerDatabase.password());
    var pool = new HikariDataSource(hikari);
    StorageProvider storage = SqlStorageProviderFactory.using(pool);
    JobRunr.configure()
        .useJsonMapper(new JacksonJsonMapper())
        .useStorageProvider(storage)
        .useBackgroundJobServer(
            BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration()
                .andPollInterval(Duration.ofSeconds(5)))
        .initialize();
    if (args[0].equals("kill-start")) {
      for (int i = 0; i < runs; i++) {
        String id = KillWork.runId(i);
        BackgroundJob.enqueue(() -> step(id, 1, steps));
      }
      KillWork.started();
      Thread.sleep(Long.MAX_VALUE);
    }
    int complete;
    while (true) {
      JobStats stats = storage.getJobStats();
      if (stats.getAwaiting() + stats.getScheduled() + stats.getEnqueued() + stats.getProcessing()
          == 0) {
        complete = completed(storage, steps);
        if (complete >= runs || stats.getAwaiting() + stats.getScheduled() == 0) {
          break;
        }
      }
      Thread.sleep(50);
    }
    KillWork.complete(complete);
    JobRunr.destroy();
    pool.close();
  }

  /** The runs whose last step's job succeeded. */
  private static int completed(StorageProvider storage, int steps) {
    Set<Object> runs = new HashSet<>();
    for (Job job :
        storage.getJobList(StateName.SUCCEEDED, new AmountRequest("updatedAt:ASC", 100_000))) {
      Object[] args = job.getJobDetails().getJobParameterValues();
      if (args.length == 3 && Objects.equals(args[1], steps)) {
        runs.add(args[0]);
      }
    }
    return runs.size();
  }
}
