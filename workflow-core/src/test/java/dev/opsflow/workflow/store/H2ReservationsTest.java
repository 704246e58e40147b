package dev.opsflow.workflow.store;

import dev.opsflow.workflow.spi.ExecutionStore;
import javax.sql.DataSource;

/** The JDBC store's reservations on H2 pass the contract. */
class H2ReservationsTest extends ReservationsContract {
  private DataSource db;

  @Override
  protected ExecutionStore newStore() {
    db = TestDatabases.h2();
    return JdbcExecutionStore.create(db);
  }

  @Override
  protected ExecutionStore sameData() {
    return JdbcExecutionStore.create(db);
  }
}
