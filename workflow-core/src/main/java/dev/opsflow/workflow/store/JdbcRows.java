package dev.opsflow.workflow.store;

import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.spi.RunQuery;
import dev.opsflow.workflow.spi.RunRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Small JDBC helpers of {@link JdbcExecutionStore}. */
final class JdbcRows {
  private JdbcRows() {}

  /**
   * Whether {@code e} is a conflict with a concurrent transaction that a retry resolves: a unique
   * violation (23505), a serialization failure (40001), a deadlock (40P01), H2's concurrent update
   * (90131).
   */
  static boolean isConflict(SQLException e) {
    for (SQLException x = e; x != null; x = x.getNextException()) {
      String state = x.getSQLState();
      if ("23505".equals(state)
          || "40001".equals(state)
          || "40P01".equals(state)
          || "90131".equals(state)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A select-list item that lets the statement's transaction (PostgreSQL, autocommit) commit
   * without waiting for its WAL flush.
   */
  static final String UNSYNCED = ", set_config('synchronous_commit', 'off', true)";

  /** The run in the first column of {@code sql}'s first row. */
  static Optional<RunRecord> selectRecord(Connection c, String sql, String param)
      throws SQLException {
    return selectString(c, sql, param).map(json -> Json.mapper().readValue(json, RunRecord.class));
  }

  static Optional<String> selectString(Connection c, String sql, String param) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, param);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
      }
    }
  }

  static int update(Connection c, String sql, String... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setString(i + 1, params[i]);
      }
      return ps.executeUpdate();
    }
  }

  /**
   * Lets the current transaction (PostgreSQL) commit without waiting for its WAL to reach the disk:
   * the next transaction that waits for its own WAL makes this one durable too.
   */
  static void synchronousCommitOff(Connection c) throws SQLException {
    try (var st = c.createStatement()) {
      st.execute("SET LOCAL synchronous_commit TO OFF");
    }
  }

  static final String INSERT_RUN =
      "INSERT INTO opsflow_runs (run_id, workflow, workflow_version, idempotency_key, state, owner,"
          + " lease_until, created_at, updated_at, version, record)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ";

  /**
   * PostgreSQL: inserts {@code stored} unless its id is taken, in one statement (with {@code
   * unsynced}'s setting if any, so that a run without a key is created in one round trip); returns
   * the rows inserted.
   */
  static int insertRun(Connection c, RunRecord stored, String unsynced) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "WITH n AS ("
                + INSERT_RUN
                + "CAST(? AS JSON)) ON CONFLICT (run_id) DO NOTHING RETURNING 1)"
                + " SELECT (SELECT count(*) FROM n)"
                + unsynced)) {
      setRun(ps, stored);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /** Sets the 11 parameters of {@link #INSERT_RUN} to {@code stored}. */
  static void setRun(PreparedStatement ps, RunRecord stored) throws SQLException {
    ps.setString(1, stored.runId());
    ps.setString(2, stored.workflow());
    ps.setInt(3, stored.workflowVersion());
    ps.setString(4, stored.idempotencyKey());
    ps.setString(5, stored.state().name());
    ps.setString(6, stored.owner());
    setInstant(ps, 7, stored.leaseUntil());
    setInstant(ps, 8, stored.createdAt());
    setInstant(ps, 9, stored.updatedAt());
    ps.setLong(10, stored.version());
    ps.setString(11, Json.mapper().writeValueAsString(stored));
  }

  /** Sets a UTC timestamp (microseconds, what PostgreSQL keeps), or SQL NULL. */
  static void setInstant(PreparedStatement ps, int index, Instant t) throws SQLException {
    if (t == null) {
      ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      ps.setObject(
          index, OffsetDateTime.ofInstant(t.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
    }
  }

  /** The runs matching {@code q}, newest first. */
  static List<RunRecord> query(Connection c, RunQuery q) throws SQLException {
    var where = new StringBuilder(" WHERE 1 = 1");
    var params = new ArrayList<Object>();
    if (q.workflow() != null) {
      where.append(" AND workflow = ?");
      params.add(q.workflow());
    }
    if (q.state() != null) {
      where.append(" AND state = ?");
      params.add(q.state().name());
    }
    if (q.createdFrom() != null) {
      where.append(" AND created_at >= ?");
      params.add(q.createdFrom());
    }
    if (q.createdTo() != null) {
      where.append(" AND created_at < ?");
      params.add(q.createdTo());
    }
    if (q.idempotencyKey() != null) {
      where.append(" AND idempotency_key = ?");
      params.add(q.idempotencyKey());
    }
    if (q.after() != null) {
      // Keyset paging in the order below: the created_at index finds the page's start.
      where.append(" AND (created_at < ? OR (created_at = ? AND run_id > ?))");
      params.add(q.after().createdAt());
      params.add(q.after().createdAt());
      params.add(q.after().runId());
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT record FROM opsflow_runs"
                + where
                + " ORDER BY created_at DESC, run_id LIMIT ?")) {
      int i = 1;
      for (Object p : params) {
        if (p instanceof Instant t) {
          setInstant(ps, i++, t);
        } else {
          ps.setString(i++, (String) p);
        }
      }
      ps.setInt(i, q.limit());
      var out = new ArrayList<RunRecord>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(Json.mapper().readValue(rs.getString(1), RunRecord.class));
        }
      }
      return out;
    }
  }
}
