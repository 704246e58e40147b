package dev.opsflow.workflow.store;

import dev.opsflow.workflow.spi.ExecutionStore;
import org.junit.jupiter.api.AfterEach;

/** The JDBC store on a real PostgreSQL server passes the store contract. */
class PostgresExecutionStoreTest extends ExecutionStoreContract {
  private TestPool pool;

  @Override
  protected ExecutionStore newStore() {
    pool = TestDatabases.postgres();
    return JdbcExecutionStore.create(pool);
  }

  @AfterEach
  void closePool() {
    if (pool != null) {
      pool.close();
    }
  }
}
