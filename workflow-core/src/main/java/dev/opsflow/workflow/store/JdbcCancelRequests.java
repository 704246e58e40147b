package dev.opsflow.workflow.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/**
 * The JDBC store's cancel requests: one row per run in {@code opsflow_cancel_requests}, deleted
 * with its run. A table of its own, not a column of the run's row, so the canceller never competes
 * with the executing engine's optimistic commits.
 */
final class JdbcCancelRequests {
  private JdbcCancelRequests() {}

  /**
   * Records the request (with {@code rollback}: to undo the run's completed steps too) if the run
   * is unfinished; returns whether it is.
   */
  static boolean request(Connection c, String runId, Instant at, boolean rollback)
      throws SQLException {
    if (JdbcRows.selectString(
            c,
            "SELECT run_id FROM opsflow_runs WHERE run_id = ? AND state IN ('PENDING', 'RUNNING')",
            runId)
        .isEmpty()) {
      return false;
    }
    JdbcRows.update(c, "DELETE FROM opsflow_cancel_requests WHERE run_id = ?", runId);
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO opsflow_cancel_requests (run_id, requested_at, with_rollback)"
                + " VALUES (?, ?, ?)")) {
      ps.setString(1, runId);
      JdbcRows.setInstant(ps, 2, at);
      ps.setBoolean(3, rollback);
      ps.executeUpdate();
    }
    return true;
  }

  static boolean requested(Connection c, String runId) throws SQLException {
    return JdbcRows.selectString(
            c, "SELECT run_id FROM opsflow_cancel_requests WHERE run_id = ?", runId)
        .isPresent();
  }

  /** Whether the run's pending request asks for its rollback. */
  static boolean rollbackRequested(Connection c, String runId) throws SQLException {
    return JdbcRows.selectString(
            c,
            "SELECT run_id FROM opsflow_cancel_requests WHERE run_id = ? AND with_rollback",
            runId)
        .isPresent();
  }

  static void withdraw(Connection c, String runId) throws SQLException {
    JdbcRows.update(c, "DELETE FROM opsflow_cancel_requests WHERE run_id = ?", runId);
  }
}
