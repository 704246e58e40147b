package dev.opsflow.bench.peers;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * Spring Batch in the kill -9 comparison, its JDBC job repository on an H2 file database ({@code
 * h2}: the file {@code -Dopsflow.bench.kill.h2}) or PostgreSQL ({@code postgres}), set up as {@link
 * SpringBatchDriver} is. A run is a job instance (parameter {@code id}) of 5 tasklet steps, each
 * {@link KillWork}'s step. {@code <h2|postgres> kill-start <effects> <runs>} starts the jobs and
 * waits for its SIGKILL. Spring Batch does not recover by itself: a killed JVM's executions stay
 * STARTED (or STARTING) in the repository, and starting the job instance again is refused. So
 * {@code kill-recover} does what its reference documentation tells an operator to do: for each
 * execution still running in the repository, {@code JobOperator.recover} (marks it and its running
 * step FAILED: the API that replaces the manual SQL update since Spring Batch 6), then {@code
 * JobOperator.restart}, which runs the instance again from its first step not COMPLETED.
 */
final class SpringBatchKill {
  private static final String JOB = "kill";
  private static volatile CountDownLatch ended = new CountDownLatch(0);

  /** {@link SpringBatchDriver.Config} with the kill job as a bean, so its registry finds it. */
  public static class KillConfig extends SpringBatchDriver.Config {
    /**
     * The job: 5 tasklet steps, each one of {@link KillWork}'s steps.
     *
     * @param repository the job repository
     * @return the job
     */
    @Bean
    public Job killJob(JobRepository repository) {
      var tx = getTransactionManager();
      JobBuilder jb = new JobBuilder(JOB, repository);
      org.springframework.batch.core.job.builder.SimpleJobBuilder builder = null;
      for (String s : KillWork.STEPS) {
        var step =
            new StepBuilder(JOB + "-" + s, repository)
                .tasklet(
                    (contribution, chunk) -> {
                      KillWork.step(
                          contribution.getStepExecution().getJobParameters().getString("id"), s);
                      return RepeatStatus.FINISHED;
                    },
                    tx)
                .build();
        builder = builder == null ? jb.start(step) : builder.next(step);
      }
      return builder
          .listener(
              new JobExecutionListener() {
                @Override
                public void afterJob(JobExecution execution) {
                  ended.countDown();
                }
              })
          .build();
    }
  }

  private SpringBatchKill() {}

  static void main(String database, String[] args) throws Exception {
    KillWork.effects(args[1], args[0]);
    int runs = Integer.parseInt(args[2]);
    var hikari = new HikariConfig();
    if (database.equals("h2")) {
      hikari.setJdbcUrl(
          "jdbc:h2:file:"
              + Objects.requireNonNull(
                  System.getProperty("opsflow.bench.kill.h2"), "opsflow.bench.kill.h2"));
    } else {
      hikari.setJdbcUrl(PeerDatabase.url());
      hikari.setUsername(PeerDatabase.user());
      hikari.setPassword(PeerDatabase.password());
    }
    // 16 job threads each hold a connection in a step's transaction, and a starting JVM's steps
    // wait there until every job was started, which takes connections too.
    hikari.setMaximumPoolSize(32);
    SpringBatchDriver.pool = new HikariDataSource(hikari);
    if (args[0].equals("kill-start")) {
      new ResourceDatabasePopulator(
              new ClassPathResource(
                  "org/springframework/batch/core/schema-"
                      + (database.equals("h2") ? "h2" : "postgresql")
                      + ".sql"))
          .execute(SpringBatchDriver.pool);
    }
    var context = new AnnotationConfigApplicationContext(KillConfig.class);
    JobOperator operator = context.getBean(JobOperator.class);
    JobRepository repository = context.getBean(JobRepository.class);
    Job job = context.getBean(Job.class);
    if (args[0].equals("kill-start")) {
      for (int i = 0; i < runs; i++) {
        operator.start(
            job, new JobParametersBuilder().addString("id", KillWork.runId(i)).toJobParameters());
      }
      KillWork.started();
      Thread.sleep(Long.MAX_VALUE);
    }
    List<JobExecution> left = new ArrayList<>(repository.findRunningJobExecutions(JOB));
    ended = new CountDownLatch(left.size());
    for (JobExecution execution : left) {
      operator.restart(operator.recover(execution));
    }
    if (!ended.await(10, TimeUnit.MINUTES)) {
      throw new IllegalStateException("restarted jobs did not end in 10 minutes");
    }
    // afterJob runs just before the repository records a job's end: wait for the records.
    int complete;
    while ((complete = completed(repository, runs)) < runs && unfinished(repository) > 0) {
      Thread.sleep(5);
    }
    KillWork.complete(complete);
    SpringBatchDriver.executor.shutdown();
    context.close();
    SpringBatchDriver.pool.close();
  }

  private static int completed(JobRepository repository, int runs) {
    int n = 0;
    for (JobInstance instance : repository.getJobInstances(JOB, 0, runs + 1)) {
      JobExecution last = repository.getLastJobExecution(instance);
      if (last != null && last.getStatus() == BatchStatus.COMPLETED) {
        n++;
      }
    }
    return n;
  }

  private static int unfinished(JobRepository repository) {
    return repository.findRunningJobExecutions(JOB).size();
  }
}
