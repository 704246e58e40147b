package dev.opsflow.workflow.store;

import static dev.opsflow.workflow.store.StoreSamples.T0;
import static dev.opsflow.workflow.store.StoreSamples.events;
import static dev.opsflow.workflow.store.StoreSamples.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.spi.RunRecord;
import dev.opsflow.workflow.spi.StaleRunException;
import dev.opsflow.workflow.spi.StoreException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit on a real PostgreSQL server: step commits queued while a batch is written go
 * together in the next statement (one transaction), each is acknowledged only after that statement
 * committed, and one request's failure fails no other. The first batch is held at the store's seam
 * until every other commit is queued behind it, so the batches are known without timing.
 */
class PostgresGroupCommitTest {
  private static final int K = 12;

  private TestPool pool;
  private JdbcExecutionStore store;
  private JdbcGroupCommit group;
  private ExecutorService threads;
  private JdbcGroupCommit.Hook secondBatch = (c, n) -> {};

  @BeforeEach
  void store() {
    pool = TestDatabases.postgres();
    store = JdbcExecutionStore.create(pool);
    group = store.groupCommit();
    threads = Executors.newFixedThreadPool(K + 1);
  }

  @AfterEach
  void close() {
    threads.shutdownNow();
    pool.close();
  }

  @Test
  void commitsQueuedBehindABatchGoInOneTransactionAndReturnOnlyAfterIt() throws Exception {
    List<RunRecord> runs = created(K);
    List<Future<RunRecord>> done = heldBehindFirstBatch(commitsOf(runs));

    for (Future<RunRecord> f : done) {
      assertThat(f.get(30, TimeUnit.SECONDS).version()).isEqualTo(2);
    }
    // The holder's batch and one batch for the K others: 2 statements for K + 1 commits.
    assertThat(group.statements()).isEqualTo(2);
    for (RunRecord r : runs) {
      assertThat(store.find(r.runId()).orElseThrow().version()).isEqualTo(2);
      assertThat(store.events(r.runId()))
          .extracting(WorkflowEvent::sequence)
          .containsExactly(3L, 4L);
    }
    // PostgreSQL's own word: every row of the K was written by one transaction.
    assertThat(writers(runs)).isEqualTo(1);
  }

  @Test
  void aStaleCommitInABatchFailsAloneAndItsEventsAreNotInserted() throws Exception {
    List<RunRecord> runs = created(K);
    List<Callable<RunRecord>> commits = commitsOf(runs);
    RunRecord stale = runs.get(4).withVersion(7);
    commits.set(4, () -> store.commit(stale, events(stale.runId(), 2, T0).subList(1, 3)));

    List<Future<RunRecord>> done = heldBehindFirstBatch(commits);

    for (int i = 0; i < K; i++) {
      if (i == 4) {
        assertThatThrownBy(() -> done.get(4).get(30, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .cause()
            .isInstanceOf(StaleRunException.class)
            .hasMessageContaining(stale.runId());
      } else {
        assertThat(done.get(i).get(30, TimeUnit.SECONDS).version()).isEqualTo(2);
      }
    }
    assertThat(group.statements()).isEqualTo(2);
    assertThat(store.find(stale.runId()).orElseThrow().version()).isEqualTo(1);
    assertThat(store.events(stale.runId())).isEmpty();
    assertThat(store.events(runs.get(5).runId())).hasSize(2);
  }

  @Test
  void aBatchFailingAsAWholeCommitsEachOtherRequestByItself() throws Exception {
    List<RunRecord> runs = created(K);
    // Run 3 already has event 2: a second event 2 violates the events' primary key.
    RunRecord bad = store.commit(runs.get(3), events(runs.get(3).runId(), 2, T0).subList(1, 2));
    List<Callable<RunRecord>> commits = commitsOf(runs);
    commits.set(3, () -> store.commit(bad, events(bad.runId(), 2, T0).subList(1, 3)));
    long before = group.statements();

    List<Future<RunRecord>> done = heldBehindFirstBatch(commits);

    for (int i = 0; i < K; i++) {
      if (i == 3) {
        assertThatThrownBy(() -> done.get(3).get(30, TimeUnit.SECONDS))
            .cause()
            .isInstanceOf(StoreException.class)
            .isNotInstanceOf(StaleRunException.class)
            .hasMessageContaining("opsflow_run_events");
      } else {
        assertThat(done.get(i).get(30, TimeUnit.SECONDS).version()).isEqualTo(2);
        assertThat(store.events(runs.get(i).runId())).hasSize(2);
      }
    }
    // The holder's batch committed; the K's batch rolled back; its requests went one by one.
    assertThat(group.statements() - before).isEqualTo(1);
    assertThat(store.find(bad.runId()).orElseThrow().version()).isEqualTo(2);
    assertThat(store.events(bad.runId())).hasSize(1);
  }

  @Test
  void aBatchWhoseConnectionIsKilledIsCommittedRequestByRequest() throws Exception {
    List<RunRecord> runs = created(K);
    secondBatch =
        (c, n) -> {
          int pid;
          try (Statement s = c.createStatement();
              ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            pid = rs.getInt(1);
          }
          try (Connection admin = pool.getConnection();
              Statement s = admin.createStatement()) {
            s.execute("SELECT pg_terminate_backend(" + pid + ")");
          }
        };

    List<Future<RunRecord>> done = heldBehindFirstBatch(commitsOf(runs));

    for (int i = 0; i < K; i++) {
      assertThat(done.get(i).get(30, TimeUnit.SECONDS).version()).isEqualTo(2);
      assertThat(store.events(runs.get(i).runId())).hasSize(2);
    }
    assertThat(group.statements()).isEqualTo(1);
  }

  @Test
  void aBatchCommittedBeforeItsAnswerWasLostIsAcknowledgedOnceNotReportedStale() throws Exception {
    List<RunRecord> runs = created(K);
    group.afterStatement =
        (c, n) -> {
          if (n == K) {
            throw new SQLException("I/O error: the connection was lost", "08006");
          }
        };

    List<Future<RunRecord>> done = heldBehindFirstBatch(commitsOf(runs));

    for (int i = 0; i < K; i++) {
      assertThat(done.get(i).get(30, TimeUnit.SECONDS).version()).isEqualTo(2);
      assertThat(store.find(runs.get(i).runId()).orElseThrow().version()).isEqualTo(2);
      assertThat(store.events(runs.get(i).runId())).hasSize(2);
    }
    // The retries found their own records: no second write.
    assertThat(writers(runs)).isEqualTo(1);
  }

  @Test
  void aLoneCommitIsWrittenByItsOwnThreadInItsOwnStatement() {
    RunRecord r = created(1).get(0);
    Thread caller = Thread.currentThread();
    var writer = new ArrayList<Thread>();
    group.beforeStatement = (c, n) -> writer.add(Thread.currentThread());

    store.commit(r, List.of());

    assertThat(writer).containsExactly(caller);
    assertThat(group.statements()).isEqualTo(1);
  }

  private List<RunRecord> created(int n) {
    var out = new ArrayList<RunRecord>();
    for (int i = 0; i < n; i++) {
      out.add(store.create(run("run-" + i, T0.plusMillis(i))).run());
    }
    return out;
  }

  private List<Callable<RunRecord>> commitsOf(List<RunRecord> runs) {
    var out = new ArrayList<Callable<RunRecord>>();
    for (RunRecord r : runs) {
      RunRecord next = r.withLease("engine-b", T0.plusSeconds(90));
      out.add(() -> store.commit(next, events(r.runId(), 2, T0).subList(1, 3)));
    }
    return out;
  }

  /**
   * Starts a commit of another run whose batch is held at the seam, then {@code commits}; once all
   * of them are queued behind the held batch (and none has returned, nor changed its row), lets the
   * held batch go. The next batch runs {@link #secondBatch} first.
   */
  private List<Future<RunRecord>> heldBehindFirstBatch(List<Callable<RunRecord>> commits)
      throws Exception {
    RunRecord holder = store.create(run("holder", T0)).run();
    var entered = new CountDownLatch(1);
    var gate = new CountDownLatch(1);
    var calls = new AtomicInteger();
    group.beforeStatement =
        (c, n) -> {
          if (calls.getAndIncrement() == 0) {
            entered.countDown();
            awaitQuietly(gate);
          } else {
            secondBatch.run(c, n);
          }
        };
    long statements = group.statements();
    long versions = versionSum();
    Future<RunRecord> first = threads.submit(() -> store.commit(holder, List.of()));
    assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
    var futures = new ArrayList<Future<RunRecord>>();
    for (Callable<RunRecord> c : commits) {
      futures.add(threads.submit(c));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (group.queued() < commits.size()) {
      assertThat(System.nanoTime()).as("all commits queued").isLessThan(deadline);
      Thread.onSpinWait();
    }
    assertThat(futures).noneMatch(Future::isDone);
    assertThat(group.statements()).isEqualTo(statements);
    assertThat(versionSum()).as("no row changed yet").isEqualTo(versions);
    gate.countDown();
    assertThat(first.get(30, TimeUnit.SECONDS).version()).isEqualTo(2);
    return futures;
  }

  private long versionSum() throws SQLException {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT sum(version) FROM opsflow_runs WHERE run_id LIKE 'run-%'")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** How many transactions last wrote the rows of {@code runs} (their distinct xmin). */
  private int writers(List<RunRecord> runs) throws SQLException {
    try (Connection c = pool.getConnection();
        var ps =
            c.prepareStatement(
                "SELECT count(DISTINCT xmin::text) FROM opsflow_runs WHERE run_id = ANY(?)")) {
      ps.setArray(
          1, c.createArrayOf("text", runs.stream().map(RunRecord::runId).toArray(String[]::new)));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private static void awaitQuietly(CountDownLatch latch) throws SQLException {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new SQLException("the test never let the held batch go");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted", e);
    }
  }
}
