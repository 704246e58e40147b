package dev.opsflow.workflow.store;

import static dev.opsflow.workflow.store.StoreSamples.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.workflow.spi.RunQuery;
import dev.opsflow.workflow.spi.RunRecord;
import dev.opsflow.workflow.spi.StoreException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A JDBC store that closes: it waits for the calls under way, refuses the later ones, ends its
 * owner session on PostgreSQL (so another instance on the same database takes its owners' runs over
 * at once, long before their leases end), gives its held connection back, and closes once.
 */
class JdbcStoreCloseTest {
  private final ExecutorService threads = Executors.newFixedThreadPool(2);
  private TestPool pool;

  @AfterEach
  void stop() {
    threads.shutdownNow();
    if (pool != null) {
      pool.close();
    }
  }

  @Test
  void aClosedStoresOwnersReadAsDeadSoAnotherInstanceTakesTheirRunsOverAtOnce() {
    pool = TestDatabases.postgres();
    var first = JdbcExecutionStore.create(pool);
    var second = JdbcExecutionStore.create(pool);
    RunRecord r =
        first
            .create(StoreSamples.run("held", T0).withLease("engine-a", T0.plusSeconds(3600)))
            .run();
    // Another live instance: the owner's session holds its lock, the lease has an hour to run.
    assertThat(second.findExpired(T0, 10)).isEmpty();
    assertThat(second.claim("held", "engine-b", T0, Duration.ofSeconds(30))).isEmpty();

    first.close();

    assertThat(second.findExpired(T0, 10)).containsExactly("held");
    RunRecord taken = second.claim("held", "engine-b", T0, Duration.ofSeconds(30)).orElseThrow();
    assertThat(taken.owner()).isEqualTo("engine-b");
    assertThat(taken.version()).isEqualTo(r.version() + 1);
    second.close();
  }

  @Test
  void closeReleasesTheSessionsLockAndGivesItsConnectionBack() throws Exception {
    pool = TestDatabases.postgres();
    var server = TestDatabases.postgresServer();
    // A pool of two: the owners' connection must come back for two callers to get one each.
    var two = new TestPool(pool.url(), server.user(), server.password(), 2);
    try {
      var store = JdbcExecutionStore.create(two);
      store.create(StoreSamples.run("one", T0));
      assertThat(advisoryLocks(two)).isEqualTo(1);
      store.close();
      assertThat(advisoryLocks(two)).isZero();
      try (Connection a = two.getConnection();
          Connection b = two.getConnection()) {
        assertThat(a.isValid(5) && b.isValid(5)).isTrue();
      }
    } finally {
      two.close();
    }
  }

  /** Advisory locks held in this test's database, by any session. */
  private static int advisoryLocks(DataSource ds) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database"
                    + " WHERE d.datname = current_database() AND l.locktype = 'advisory'"
                    + " AND l.granted")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @Test
  void everyCallAfterCloseFailsSayingTheStoreIsClosed() {
    var store = JdbcExecutionStore.create(TestDatabases.h2());
    RunRecord r = store.create(StoreSamples.run("c", T0)).run();
    store.close();

    List<Consumer<JdbcExecutionStore>> calls =
        List.of(
            s -> s.create(StoreSamples.run("d", T0)),
            s -> s.createUnsynced(StoreSamples.run("d", T0)),
            s -> s.createUnsynced(StoreSamples.run("d", T0), StoreSamples.events("d", 1, T0)),
            s -> s.commit(r, List.of()),
            s -> s.commitUnsynced(r, List.of()),
            s -> s.find("c"),
            s -> s.findByIdempotencyKey("k"),
            s -> s.events("c"),
            s -> s.query(RunQuery.all()),
            s -> s.claim("c", "other", T0, Duration.ofSeconds(30)),
            s -> s.findExpired(T0, 10),
            s -> s.deleteFinishedBefore(T0),
            s -> s.requestCancel("c", T0),
            s -> s.requestCancel("c", T0, true),
            s -> s.cancelRequested("c"),
            s -> s.rollbackRequested("c"),
            s -> s.withdrawCancelRequest("c"),
            s -> s.reservations());
    for (Consumer<JdbcExecutionStore> call : calls) {
      assertThatThrownBy(() -> call.accept(store))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("JDBC execution store is closed");
    }
  }

  @Test
  void closeIsIdempotent() {
    pool = TestDatabases.postgres();
    var store = JdbcExecutionStore.create(pool);
    store.create(StoreSamples.run("i", T0));
    store.close();
    store.close();
    assertThatThrownBy(() -> store.find("i")).isInstanceOf(StoreException.class);
  }

  @Test
  void closeWaitsForACommitInFlightWhichIsAcknowledgedThenRefusesTheNext() throws Exception {
    pool = TestDatabases.postgres();
    var store = JdbcExecutionStore.create(pool);
    RunRecord r = store.create(StoreSamples.run("flight", T0)).run();
    var inStatement = new CountDownLatch(1);
    var release = new CountDownLatch(1);
    store.groupCommit().beforeStatement =
        (c, n) -> {
          inStatement.countDown();
          awaitQuietly(release);
        };
    Future<RunRecord> commit =
        threads.submit(() -> store.commit(r, StoreSamples.events("flight", 1, T0)));
    assertThat(inStatement.await(30, TimeUnit.SECONDS)).isTrue();
    Future<?> closing = threads.submit(store::close);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!store.closing() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }

    // Close is waiting for the commit; a new call is refused at once meanwhile.
    assertThatThrownBy(() -> store.find("flight"))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("closed");
    assertThat(closing.isDone()).isFalse();
    release.countDown();

    assertThat(commit.get(30, TimeUnit.SECONDS).version()).isEqualTo(r.version() + 1);
    closing.get(30, TimeUnit.SECONDS);
    try (var next = JdbcExecutionStore.create(pool)) {
      assertThat(next.find("flight").orElseThrow().version()).isEqualTo(r.version() + 1);
    }
  }

  @Test
  void closeFromInsideACallIsRefused() {
    DataSource h2 = TestDatabases.h2();
    var store = JdbcExecutionStore.create(h2);
    var gate = new JdbcCloseGate();
    assertThatThrownBy(() -> gate.run(() -> gate.close(() -> {})))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("from inside a call");
    assertThat(gate.isClosed()).isFalse();
    store.close();
  }

  private static void awaitQuietly(CountDownLatch latch) throws SQLException {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new SQLException("not released in 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException(e);
    }
  }
}
