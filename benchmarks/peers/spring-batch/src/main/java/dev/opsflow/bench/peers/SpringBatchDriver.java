package dev.opsflow.bench.peers;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.task.TaskExecutor;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Spring Batch 6 with its JDBC job repository ({@code h2} in memory, or {@code postgres}: the
 * comparison's server), a Hikari pool and an asynchronous job operator (16 threads), so that many
 * jobs can be started at once. A job's end is taken when its listener's {@code afterJob} runs,
 * just before the repository records the end (a little in Spring Batch's favour). A workflow is a job of tasklet steps that do nothing. Not
 * like-for-like: Spring Batch is a batch framework, its repository records job and step executions
 * with several statements and transactions each.
 */
public final class SpringBatchDriver implements DriverMain.System {
  private static final Map<String, CountDownLatch> DONE = new ConcurrentHashMap<>();
  static volatile Runnable onFirst = () -> {};
  static String database;
  static HikariDataSource pool;
  static final ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();

  /** The batch configuration: the JDBC repository on the chosen database. */
  public static class Config
      extends org.springframework.batch.core.configuration.support.JdbcDefaultBatchConfiguration {
    private final JdbcTransactionManager tx = new JdbcTransactionManager(pool);
    public Config() {
      executor.setCorePoolSize(16);
      executor.setMaxPoolSize(16);
      executor.setWaitForTasksToCompleteOnShutdown(true);
      executor.setAwaitTerminationSeconds(60);
      executor.initialize();
    }

    @Override
    protected DataSource getDataSource() {
      return pool;
    }

    @Override
    protected PlatformTransactionManager getTransactionManager() {
      return tx;
    }

    @Override
    protected TaskExecutor getTaskExecutor() {
      return executor;
    }

    /**
     * READ_COMMITTED, not the default SERIALIZABLE, for creating job executions: the reference
     * documentation's advice when jobs are launched concurrently (on PostgreSQL, SERIALIZABLE
     * fails hundreds of concurrent launches with serialization errors).
     */
    @Override
    protected org.springframework.transaction.annotation.Isolation getIsolationLevelForCreate() {
      return org.springframework.transaction.annotation.Isolation.READ_COMMITTED;
    }
  }

  private AnnotationConfigApplicationContext context;
  private JobOperator operator;
  private Job three;
  private Job five;

  public static void main(String[] args) throws Exception {
    database = args[0];
    if (args.length > 1 && args[1].startsWith("kill-")) {
      SpringBatchKill.main(database, java.util.Arrays.copyOfRange(args, 1, args.length));
      java.lang.System.exit(0);
    }
    DriverMain.run(new SpringBatchDriver(), java.util.Arrays.copyOfRange(args, 1, args.length));
    java.lang.System.exit(0);
  }

  @Override
  public void setUp() {
    var hikari = new HikariConfig();
    if (database.equals("h2")) {
      hikari.setJdbcUrl("jdbc:h2:mem:batch-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    } else {
      hikari.setJdbcUrl(PeerDatabase.url());
      hikari.setUsername(PeerDatabase.user());
      hikari.setPassword(PeerDatabase.password());
    }
    hikari.setMaximumPoolSize(16);
    pool = new HikariDataSource(hikari);
    var schema =
        new ResourceDatabasePopulator(
            new ClassPathResource(
                "org/springframework/batch/core/schema-"
                    + (database.equals("h2") ? "h2" : "postgresql")
                    + ".sql"));
    schema.setContinueOnError(true); // tables left by an earlier run
    schema.execute(pool);
    context = new AnnotationConfigApplicationContext(Config.class);
    operator = context.getBean(JobOperator.class);
    JobRepository repository = context.getBean(JobRepository.class);
    PlatformTransactionManager tx = new JdbcTransactionManager(pool);
    three = job("three", 3, repository, tx);
    five = job("five", 5, repository, tx);
  }

  private static Job job(String name, int steps, JobRepository repository, PlatformTransactionManager tx) {
    var builder = new JobBuilder(name, repository).start(step(name, 1, repository, tx));
    for (int i = 2; i <= steps; i++) {
      builder = builder.next(step(name, i, repository, tx));
    }
    return builder
        .listener(
            new JobExecutionListener() {
              @Override
              public void afterJob(JobExecution execution) {
                DONE.remove(execution.getJobParameters().getString("id")).countDown();
              }
            })
        .build();
  }

  private static Step step(String job, int n, JobRepository repository, PlatformTransactionManager tx) {
    return new StepBuilder(job + "-s" + n, repository)
        .tasklet(
            (contribution, chunk) -> {
              if (n == 1) {
                onFirst.run();
              }
              return RepeatStatus.FINISHED;
            },
            tx)
        .build();
  }

  private CountDownLatch start(Job job) throws Exception {
    String id = UUID.randomUUID().toString();
    var latch = new CountDownLatch(1);
    DONE.put(id, latch);
    operator.start(job, new JobParametersBuilder().addString("id", id).toJobParameters());
    return latch;
  }

  @Override
  public void roundTrip(Runnable firstStep) throws Exception {
    onFirst = firstStep;
    if (!start(three).await(5, TimeUnit.MINUTES)) {
      throw new IllegalStateException("a Spring Batch job did not end in 5 minutes");
    }
  }

  @Override
  public void throughput(int n) throws Exception {
    onFirst = () -> {};
    var latches = new CountDownLatch[n];
    for (int i = 0; i < n; i++) {
      latches[i] = start(five);
    }
    for (CountDownLatch l : latches) {
      if (!l.await(10, TimeUnit.MINUTES)) {
        throw new IllegalStateException("Spring Batch jobs did not end in 10 minutes");
      }
    }
  }

  @Override
  public void tearDown() {
    // A job's listener runs before its last repository update: let those finish first.
    executor.shutdown();
    context.close();
    pool.close();
  }
}
