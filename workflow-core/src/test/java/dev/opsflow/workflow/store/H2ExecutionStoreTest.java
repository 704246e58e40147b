package dev.opsflow.workflow.store;

import dev.opsflow.workflow.spi.ExecutionStore;

/** The JDBC store on H2 (in memory) passes the store contract. */
class H2ExecutionStoreTest extends ExecutionStoreContract {
  @Override
  protected ExecutionStore newStore() {
    return JdbcExecutionStore.create(TestDatabases.h2());
  }
}
