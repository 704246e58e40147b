package dev.opsflow.workflow.store;

import dev.opsflow.workflow.spi.ExecutionStore;

/** The in-memory store passes the store contract. */
class InMemoryExecutionStoreTest extends ExecutionStoreContract {
  @Override
  protected ExecutionStore newStore() {
    return new InMemoryExecutionStore();
  }
}
