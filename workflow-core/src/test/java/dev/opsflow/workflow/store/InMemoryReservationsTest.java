package dev.opsflow.workflow.store;

import dev.opsflow.workflow.spi.ExecutionStore;

/** The in-memory store's reservations pass the contract (the same instance is the same data). */
class InMemoryReservationsTest extends ReservationsContract {
  @Override
  protected ExecutionStore newStore() {
    return new InMemoryExecutionStore();
  }

  @Override
  protected ExecutionStore sameData() {
    return store;
  }
}
