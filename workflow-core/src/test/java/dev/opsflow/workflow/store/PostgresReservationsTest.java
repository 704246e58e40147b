package dev.opsflow.workflow.store;

import dev.opsflow.workflow.spi.ExecutionStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** The JDBC store's reservations on a real PostgreSQL server pass the contract. */
class PostgresReservationsTest extends ReservationsContract {
  private final List<TestPool> pools = new ArrayList<>();
  private String url;

  @Override
  protected ExecutionStore newStore() {
    TestPool pool = TestDatabases.postgres();
    pools.add(pool);
    url = pool.url();
    return JdbcExecutionStore.create(pool);
  }

  @Override
  protected ExecutionStore sameData() {
    var peer = TestDatabases.postgresServer();
    TestPool pool = new TestPool(url, peer.user(), peer.password());
    pools.add(pool);
    return JdbcExecutionStore.create(pool);
  }

  @AfterEach
  void closePools() {
    pools.forEach(TestPool::close);
  }
}
