package dev.opsflow.workflow.store;

import dev.opsflow.workflow.spi.RunRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The JDBC store's one-statement writes of a single run on PostgreSQL: a step commit (the run's
 * update at its version with the insert of its events) and a creation with its first events.
 *
 * <p>The events are bound as plain parameters, two per event ({@code (seq, event)} rows of a {@code
 * VALUES} list), not as two arrays: an array parameter is built and escaped by the driver and
 * parsed back by the server on every call, which cost about a fifth of the statement (a probe from
 * one client, docs/performance.md). So the statement's text depends on its number of events; the
 * texts for up to {@link #CACHED} events are made once (the driver prepares each once per
 * connection and caches it by its text), and a commit with more events binds them as arrays, as
 * before. Times are bound as text for the same reason (see {@link #text}).
 */
final class JdbcOneStatement {
  /** Statement texts made once for up to this many events. */
  static final int CACHED = 16;

  private static final String UPDATE_RUN =
      "UPDATE opsflow_runs SET state = ?, owner = ?, lease_until = CAST(? AS TIMESTAMPTZ),"
          + " updated_at = CAST(? AS TIMESTAMPTZ), version = ?, record = CAST(? AS JSON)"
          + " WHERE run_id = ? AND version = ?";

  private static final String INSERT_RUN =
      "INSERT INTO opsflow_runs (run_id, workflow, workflow_version, idempotency_key, state, owner,"
          + " lease_until, created_at, updated_at, version, record) VALUES (?, ?, ?, ?, ?, ?,"
          + " CAST(? AS TIMESTAMPTZ), CAST(? AS TIMESTAMPTZ), CAST(? AS TIMESTAMPTZ), ?,"
          + " CAST(? AS JSON))";

  private static final String[] COMMIT_SYNCED = new String[CACHED + 1];
  private static final String[] COMMIT_UNSYNCED = new String[CACHED + 1];
  private static final String[] CREATE = new String[CACHED + 1];

  static {
    for (int n = 0; n <= CACHED; n++) {
      COMMIT_SYNCED[n] = commitSql(n, "");
      COMMIT_UNSYNCED[n] = commitSql(n, JdbcRows.UNSYNCED);
      CREATE[n] = createSql(n);
    }
  }

  private JdbcOneStatement() {}

  /**
   * The events' source for {@code n} events: a {@code VALUES} list of parameters, or (over {@link
   * #CACHED}) the two arrays unnested.
   */
  private static String eventRows(int n) {
    if (n > CACHED) {
      return "unnest(CAST(? AS BIGINT[]), CAST(? AS TEXT[]))";
    }
    var rows = new StringBuilder("(VALUES ");
    for (int i = 0; i < n; i++) {
      rows.append(i == 0 ? "" : ", ").append("(CAST(? AS BIGINT), CAST(? AS TEXT))");
    }
    return rows.append(')').toString();
  }

  private static String commitSql(int events, String unsynced) {
    if (events == 0) {
      return "WITH u AS ("
          + UPDATE_RUN
          + " RETURNING 1) SELECT (SELECT count(*) FROM u)"
          + unsynced;
    }
    return "WITH u AS ("
        + UPDATE_RUN
        + " RETURNING run_id), e AS (INSERT INTO opsflow_run_events (run_id, seq, event)"
        + " SELECT u.run_id, x.seq, CAST(x.event AS JSON) FROM u CROSS JOIN "
        + eventRows(events)
        + " AS x(seq, event) RETURNING 1) SELECT (SELECT count(*) FROM u)"
        + unsynced;
  }

  private static String createSql(int events) {
    String insert =
        "WITH n AS (" + INSERT_RUN + " ON CONFLICT (run_id) DO NOTHING RETURNING run_id)";
    if (events == 0) {
      return insert + " SELECT (SELECT count(*) FROM n)" + JdbcRows.UNSYNCED;
    }
    return insert
        + ", e AS (INSERT INTO opsflow_run_events (run_id, seq, event)"
        + " SELECT n.run_id, x.seq, CAST(x.event AS JSON) FROM n CROSS JOIN "
        + eventRows(events)
        + " AS x(seq, event) RETURNING 1) SELECT (SELECT count(*) FROM n)"
        + JdbcRows.UNSYNCED;
  }

  /**
   * The run's update at its version and the insert of its events in one statement (data-modifying
   * CTEs; no event is inserted when the version moved), committed without waiting for its WAL flush
   * unless the request asks for it. Call in autocommit. Returns the rows updated (0 or 1).
   */
  static int commit(Connection c, JdbcGroupCommit.Request r) throws SQLException {
    int n = r.events.size();
    String sql =
        n > CACHED
            ? commitSql(n, r.sync ? "" : JdbcRows.UNSYNCED)
            : (r.sync ? COMMIT_SYNCED : COMMIT_UNSYNCED)[n];
    RunRecord run = r.run;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, run.state().name());
      ps.setString(2, run.owner());
      ps.setString(3, text(run.leaseUntil()));
      ps.setString(4, text(run.updatedAt()));
      ps.setLong(5, run.version());
      ps.setString(6, r.json);
      ps.setString(7, run.runId());
      ps.setLong(8, r.expectedVersion);
      setEvents(c, ps, 9, r);
      return count(ps);
    }
  }

  /**
   * Inserts the request's run (at its version) unless its id is taken, and its events with it, in
   * one statement that commits without waiting for its WAL flush. Call in autocommit. Returns the
   * rows of runs inserted (no event is inserted when the id was taken).
   */
  static int createWithEvents(Connection c, JdbcGroupCommit.Request r) throws SQLException {
    int n = r.events.size();
    try (PreparedStatement ps = c.prepareStatement(n > CACHED ? createSql(n) : CREATE[n])) {
      RunRecord run = r.run;
      ps.setString(1, run.runId());
      ps.setString(2, run.workflow());
      ps.setInt(3, run.workflowVersion());
      ps.setString(4, run.idempotencyKey());
      ps.setString(5, run.state().name());
      ps.setString(6, run.owner());
      ps.setString(7, text(run.leaseUntil()));
      ps.setString(8, text(run.createdAt()));
      ps.setString(9, text(run.updatedAt()));
      ps.setLong(10, run.version());
      ps.setString(11, r.json);
      setEvents(c, ps, 12, r);
      return count(ps);
    }
  }

  /** Binds the request's events from parameter {@code first} on, as its statement expects them. */
  private static void setEvents(
      Connection c, PreparedStatement ps, int first, JdbcGroupCommit.Request r)
      throws SQLException {
    int n = r.events.size();
    if (n > CACHED) {
      Long[] seqs = new Long[n];
      for (int i = 0; i < n; i++) {
        seqs[i] = r.events.get(i).sequence();
      }
      ps.setArray(first, c.createArrayOf("bigint", seqs));
      ps.setArray(first + 1, c.createArrayOf("text", r.eventJsons.toArray(new String[0])));
      return;
    }
    for (int i = 0; i < n; i++) {
      ps.setLong(first + 2 * i, r.events.get(i).sequence());
      ps.setString(first + 2 * i + 1, r.eventJsons.get(i));
    }
  }

  /**
   * An instant as PostgreSQL reads a timestamptz, to the microsecond it keeps, or null: bound as
   * text, which the driver sends as it is, where an {@code OffsetDateTime} goes through its
   * calendar conversion on every call.
   */
  static String text(Instant t) {
    return t == null ? null : t.truncatedTo(ChronoUnit.MICROS).toString();
  }

  private static int count(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
