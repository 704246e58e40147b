package dev.opsflow.bench;

import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.store.JdbcExecutionStore;
import dev.opsflow.workflow.store.TestPool;
import java.util.Map;

/**
 * One build's side of {@link PostgresRoundTripAb}: its pool, store and engine; {@link #run} is one
 * lone 3-step {@code engine.run}. Loaded into each build's class loader, so it calls only API that
 * every build compared has.
 */
public final class AbRound implements Runnable, AutoCloseable {
  private final TestPool pool;
  private final JdbcExecutionStore store;
  private final WorkflowEngine engine;
  private final Workflow three;

  /**
   * Sets up the build's engine on the database.
   *
   * @param url the PostgreSQL JDBC URL
   * @param user its user
   * @param password its password
   * @throws ClassNotFoundException when the build's jar holds no PostgreSQL driver
   */
  public AbRound(String url, String user, String password) throws ClassNotFoundException {
    // Registers this loader's driver: DriverManager hands a caller only a driver it can see.
    Class.forName("org.postgresql.Driver", true, AbRound.class.getClassLoader());
    pool = new TestPool(url, user, password, 16);
    store = JdbcExecutionStore.create(pool);
    engine = WorkflowEngine.builder().store(store).build();
    three =
        Workflow.builder("three")
            .step(Step.of("s1", ctx -> {}))
            .step(Step.of("s2", ctx -> {}))
            .step(Step.of("s3", ctx -> {}))
            .build();
  }

  @Override
  public void run() {
    WorkflowResult r = engine.run(three, Map.of(), RunOptions.defaults());
    if (!r.success()) {
      throw new IllegalStateException("run failed: " + r);
    }
  }

  @Override
  public void close() throws Exception {
    engine.close();
    // Closed only where the store closes (an older build's store does not).
    if ((Object) store instanceof AutoCloseable closeable) {
      closeable.close();
    }
    pool.close();
  }
}
