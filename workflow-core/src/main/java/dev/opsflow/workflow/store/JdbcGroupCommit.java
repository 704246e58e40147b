package dev.opsflow.workflow.store;

import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.spi.RunRecord;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * Group commit of {@link JdbcExecutionStore}'s step commits on PostgreSQL: many runs' commits in
 * one statement, so one round trip, one transaction and one WAL flush for all of them.
 *
 * <p>Leader and followers, no committer thread: a commit joins the queue; if no batch is running,
 * its own thread becomes the leader, takes the queue (at most {@link #MAX_BATCH} requests, one per
 * run), writes them in one autocommit statement and wakes the others, each of which then returns
 * (or leads the next batch). A lone commit is therefore written by its own thread, as before. The
 * statement updates each run at its expected version and inserts the events of the runs it updated
 * only; it returns which runs it updated, so a request whose version moved gets {@link
 * Outcome#NOT_UPDATED} alone. When the statement fails as a whole (one request's bad events, a
 * deadlock, a connection lost), every request of the batch gets {@link Outcome#ALONE}: its caller
 * commits it by itself, as before group commit, so one bad commit fails no other. No request is
 * acknowledged before the statement that wrote it returned, that is, committed: a batch of synced
 * commits waits for its WAL flush. Unsynced commits (a run's start) ride along: in a batch of only
 * unsynced ones the statement commits without waiting for its flush; in a batch with one synced
 * commit they wait for it too, which is stronger and costs them only that wait. Thread-safe.
 */
final class JdbcGroupCommit {
  /** At most this many commits in one statement (a few MB of parameters at most). */
  static final int MAX_BATCH = 256;

  /** What became of a request. */
  enum Outcome {
    /** Written, and durable if it asked to be. */
    COMMITTED,
    /** Not written: its run is not at its expected version (or not in the store). */
    NOT_UPDATED,
    /** Not written: its batch failed as a whole; the caller commits it by itself. */
    ALONE
  }

  /** A seam for tests: runs on the batch's connection before or after its statement. */
  @FunctionalInterface
  interface Hook {
    void run(Connection c, int size) throws SQLException;
  }

  /** One commit: the run at its new version, serialised by its own thread, and its events. */
  static final class Request {
    final RunRecord run;
    final long expectedVersion;
    final String json;
    final List<WorkflowEvent> events;
    final List<String> eventJsons;
    final boolean sync;
    private Outcome outcome;

    Request(RunRecord run, long expectedVersion, List<WorkflowEvent> events, boolean sync) {
      this.run = run;
      this.expectedVersion = expectedVersion;
      // The file store's writers of runs, step outcomes and instants: the shared mapper's JSON,
      // byte for byte (FileFrameTest), in less code a call than its generic bean serialisers.
      this.json = FileRecords.Mappers.FRAME_MAPPER.writeValueAsString(run);
      this.events = events;
      this.eventJsons = new ArrayList<>(events.size());
      for (WorkflowEvent e : events) {
        eventJsons.add(FileRecords.Mappers.FRAME_EVENT_WRITER.writeValueAsString(e));
      }
      this.sync = sync;
    }
  }

  private final DataSource dataSource;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition written = lock.newCondition();
  private final ArrayDeque<Request> queue = new ArrayDeque<>();
  private boolean leading;
  private final AtomicLong statements = new AtomicLong();
  volatile Hook beforeStatement = (c, n) -> {};
  volatile Hook afterStatement = (c, n) -> {};

  JdbcGroupCommit(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** {@return how many batch statements committed so far} (tests count transactions with it) */
  long statements() {
    return statements.get();
  }

  /** {@return how many requests wait in the queue, not yet taken by a leader} (for tests) */
  int queued() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Commits {@code r} with whatever other commits are queued; returns when its batch ended.
   *
   * @param r the commit
   * @return what became of it
   */
  Outcome commit(Request r) {
    boolean interrupted = false;
    lock.lock();
    try {
      queue.add(r);
      while (true) {
        if (r.outcome != null) {
          return r.outcome;
        }
        if (!leading) {
          leading = true;
          List<Request> batch = take();
          lock.unlock();
          try {
            write(batch);
          } finally {
            lock.lock();
            leading = false;
            written.signalAll();
          }
          continue;
        }
        try {
          written.await();
        } catch (InterruptedException e) {
          // The request is queued and may be written by the leader at any moment: wait for its
          // outcome (a statement's length) and keep the interrupt for the caller.
          interrupted = true;
        }
      }
    } finally {
      lock.unlock();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The queued requests, oldest first, one per run (a later one for a run waits its turn). */
  private List<Request> take() {
    var batch = new ArrayList<Request>(Math.min(queue.size(), MAX_BATCH));
    Set<String> runs = new HashSet<>();
    for (Iterator<Request> it = queue.iterator(); it.hasNext() && batch.size() < MAX_BATCH; ) {
      Request r = it.next();
      if (runs.add(r.run.runId())) {
        batch.add(r);
        it.remove();
      }
    }
    return batch;
  }

  /** Writes {@code batch} in one statement and sets each request's outcome (under no lock). */
  private void write(List<Request> batch) {
    Set<String> updated = null;
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      beforeStatement.run(c, batch.size());
      Set<String> got = batch.size() == 1 ? one(c, batch.get(0)) : many(c, batch);
      afterStatement.run(c, batch.size());
      statements.incrementAndGet();
      updated = got;
    } catch (SQLException | RuntimeException e) {
      // Nothing of the batch is acknowledged: each request is committed by itself (its version
      // tells whether the statement committed before the failure, see JdbcExecutionStore).
    } finally {
      settle(batch, updated);
    }
  }

  private void settle(List<Request> batch, Set<String> updated) {
    lock.lock();
    try {
      for (Request r : batch) {
        r.outcome =
            updated == null
                ? Outcome.ALONE
                : updated.contains(r.run.runId()) ? Outcome.COMMITTED : Outcome.NOT_UPDATED;
      }
    } finally {
      lock.unlock();
    }
  }

  private static Set<String> one(Connection c, Request r) throws SQLException {
    int n = JdbcOneStatement.commit(c, r);
    return n == 0 ? Set.of() : Set.of(r.run.runId());
  }

  /**
   * One statement for the whole batch: the runs' new rows as arrays, updated where each run is at
   * its expected version; the events inserted for the runs updated only; the ids updated returned.
   */
  private static Set<String> many(Connection c, List<Request> batch) throws SQLException {
    int n = batch.size();
    String[] ids = new String[n];
    String[] states = new String[n];
    String[] owners = new String[n];
    String[] leases = new String[n];
    String[] updatedAts = new String[n];
    Long[] versions = new Long[n];
    Long[] expected = new Long[n];
    String[] records = new String[n];
    var eventRuns = new ArrayList<String>();
    var eventSeqs = new ArrayList<Long>();
    var eventJsons = new ArrayList<String>();
    boolean sync = false;
    for (int i = 0; i < n; i++) {
      Request r = batch.get(i);
      RunRecord run = r.run;
      ids[i] = run.runId();
      states[i] = run.state().name();
      owners[i] = run.owner();
      leases[i] = JdbcOneStatement.text(run.leaseUntil());
      updatedAts[i] = JdbcOneStatement.text(run.updatedAt());
      versions[i] = run.version();
      expected[i] = r.expectedVersion;
      records[i] = r.json;
      for (int e = 0; e < r.events.size(); e++) {
        eventRuns.add(run.runId());
        eventSeqs.add(r.events.get(e).sequence());
        eventJsons.add(r.eventJsons.get(e));
      }
      sync |= r.sync;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "WITH i AS (SELECT * FROM unnest(CAST(? AS TEXT[]), CAST(? AS TEXT[]),"
                + " CAST(? AS TEXT[]), CAST(? AS TIMESTAMPTZ[]), CAST(? AS TIMESTAMPTZ[]),"
                + " CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS TEXT[]))"
                + " AS i(run_id, state, owner, lease_until, updated_at, version, expected, record)),"
                + " u AS (UPDATE opsflow_runs r SET state = i.state, owner = i.owner,"
                + " lease_until = i.lease_until, updated_at = i.updated_at, version = i.version,"
                + " record = CAST(i.record AS JSON) FROM i"
                + " WHERE r.run_id = i.run_id AND r.version = i.expected RETURNING r.run_id),"
                + " e AS (INSERT INTO opsflow_run_events (run_id, seq, event)"
                + " SELECT x.run_id, x.seq, CAST(x.event AS JSON) FROM unnest(CAST(? AS TEXT[]),"
                + " CAST(? AS BIGINT[]), CAST(? AS TEXT[])) AS x(run_id, seq, event)"
                + " WHERE x.run_id IN (SELECT run_id FROM u) RETURNING 1)"
                + " SELECT (SELECT array_agg(run_id) FROM u), (SELECT count(*) FROM e)"
                // Only unsynced commits in the batch: commit without waiting for the WAL flush.
                + (sync ? "" : ", set_config('synchronous_commit', 'off', true)"))) {
      ps.setArray(1, c.createArrayOf("text", ids));
      ps.setArray(2, c.createArrayOf("text", states));
      ps.setArray(3, c.createArrayOf("text", owners));
      ps.setArray(4, c.createArrayOf("text", leases));
      ps.setArray(5, c.createArrayOf("text", updatedAts));
      ps.setArray(6, c.createArrayOf("bigint", versions));
      ps.setArray(7, c.createArrayOf("bigint", expected));
      ps.setArray(8, c.createArrayOf("text", records));
      ps.setArray(9, c.createArrayOf("text", eventRuns.toArray(new String[0])));
      ps.setArray(10, c.createArrayOf("bigint", eventSeqs.toArray(new Long[0])));
      ps.setArray(11, c.createArrayOf("text", eventJsons.toArray(new String[0])));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        Array got = rs.getArray(1);
        if (got == null) {
          return Set.of();
        }
        return Set.of((String[]) got.getArray());
      }
    }
  }
}
