package dev.opsflow.workflow.store;

import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.spi.ExecutionStore;
import dev.opsflow.workflow.spi.RunQuery;
import dev.opsflow.workflow.spi.RunRecord;
import dev.opsflow.workflow.spi.StaleRunException;
import dev.opsflow.workflow.spi.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A store in a relational database through plain {@code java.sql}: PostgreSQL 15+ in production
 * (several engine instances, in several JVMs, share one database), H2 for tests. The schema ships
 * as the resources {@code dev/opsflow/workflow/store/schema-postgresql.sql} and {@code
 * schema-h2.sql}; the store applies it on first use unless {@link Builder#createSchema(boolean)}
 * turns that off (then a missing table is a {@link StoreException} naming the resource to apply).
 *
 * <p>Each operation is one transaction on a connection from the host's {@link DataSource} (give it
 * a pool). {@link #create} takes the idempotency key in the same transaction as the run; {@link
 * #claim} locks the run's row ({@code SELECT ... FOR UPDATE SKIP LOCKED} on PostgreSQL); {@link
 * #commit} is optimistic ({@code UPDATE ... WHERE version = ?}); on PostgreSQL the commits of
 * several runs made at the same moment share one statement, one transaction and one WAL flush
 * (group commit, see {@code JdbcGroupCommit}), each still checked at its own version and
 * acknowledged only once its statement committed. Thread-safe.
 *
 * <p>Close the store when done ({@link #close}, after the engines that use it, before the {@code
 * DataSource}): on PostgreSQL it holds one connection of the pool with its owners' advisory lock,
 * and its close lets other instances take this one's unfinished runs over at once.
 */
public final class JdbcExecutionStore implements ExecutionStore, AutoCloseable {
  private static final int CREATE_ATTEMPTS = 10;
  private static final String UNFINISHED = "('PENDING', 'RUNNING')";

  private final DataSource dataSource;
  private final boolean createSchema;
  private final SessionOwners owners;
  private final JdbcGroupCommit group;
  private final JdbcCloseGate gate = new JdbcCloseGate();
  private volatile JdbcDialect dialect;

  /** Whether owners' sessions tell their liveness (PostgreSQL, with the owners table). */
  private volatile boolean sessions;

  private JdbcExecutionStore(Builder b) {
    this.dataSource = b.dataSource;
    this.createSchema = b.createSchema;
    this.owners = new SessionOwners(b.dataSource);
    this.group = new JdbcGroupCommit(b.dataSource);
  }

  /**
   * A store on {@code dataSource} that creates its schema on first use.
   *
   * @param dataSource where the tables live (H2 or PostgreSQL)
   * @return the store
   */
  public static JdbcExecutionStore create(DataSource dataSource) {
    return builder(dataSource).build();
  }

  /**
   * A builder for a store on {@code dataSource}.
   *
   * @param dataSource where the tables live (H2 or PostgreSQL)
   * @return a builder for the store
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  @Override
  public Created create(RunRecord run) {
    return gate.call(() -> create(run, true));
  }

  /**
   * {@inheritDoc} On PostgreSQL the transaction commits with {@code synchronous_commit} off: it
   * does not wait for its WAL to reach the disk, and the run's next commit, which waits for its own
   * WAL, makes it durable too (WAL is flushed in order). Elsewhere, {@link #create}.
   */
  @Override
  public Created createUnsynced(RunRecord run) {
    return gate.call(() -> create(run, false));
  }

  /**
   * {@inheritDoc} On PostgreSQL, one statement and one round trip: the run inserted and its events
   * with it, committed with {@code synchronous_commit} off (see {@link
   * #createUnsynced(RunRecord)}). A run with an idempotency key, and H2, as the default.
   */
  @Override
  public Created createUnsynced(RunRecord run, List<WorkflowEvent> events) {
    return gate.call(() -> createWithEvents(run, events));
  }

  private Created createWithEvents(RunRecord run, List<WorkflowEvent> events) {
    ready();
    if (dialect != JdbcDialect.POSTGRESQL || run.idempotencyKey() != null || events.isEmpty()) {
      return ExecutionStore.super.createUnsynced(run, events);
    }
    // Before a connection is taken (see create).
    registerOrFail(run.owner(), run.runId());
    RunRecord stored = run.withVersion(1);
    var request = new JdbcGroupCommit.Request(stored, 0, events, false);
    return inAutoCommit(
        "create run " + run.runId(),
        c -> {
          if (JdbcOneStatement.createWithEvents(c, request) == 0) {
            throw new StoreException("run " + run.runId() + " already exists", null);
          }
          return new Created(stored, true);
        });
  }

  private Created create(RunRecord run, boolean sync) {
    ready();
    // Before a connection is taken: the first registration takes the owners' session connection
    // from the same pool, and callers holding every pooled connection would wait for it forever.
    registerOrFail(run.owner(), run.runId());
    if (dialect == JdbcDialect.POSTGRESQL && run.idempotencyKey() == null) {
      return inAutoCommit(
          "create run " + run.runId(),
          c -> {
            RunRecord stored = run.withVersion(1);
            if (JdbcRows.insertRun(c, stored, sync ? "" : JdbcRows.UNSYNCED) == 0) {
              throw new StoreException("run " + run.runId() + " already exists", null);
            }
            return new Created(stored, true);
          });
    }
    for (int attempt = 1; ; attempt++) {
      try {
        return tx(
            "create run " + run.runId(),
            c -> {
              if (!sync && dialect == JdbcDialect.POSTGRESQL) {
                JdbcRows.synchronousCommitOff(c);
              }
              return createOnce(c, run);
            });
      } catch (StoreException e) {
        // Another engine took the same key (or id) between our read and our insert: read again.
        if (attempt == CREATE_ATTEMPTS
            || !(e.getCause() instanceof SQLException s)
            || !JdbcRows.isConflict(s)) {
          throw e;
        }
      }
    }
  }

  private Created createOnce(Connection c, RunRecord run) throws SQLException {
    if (JdbcRows.selectRecord(c, "SELECT record FROM opsflow_runs WHERE run_id = ?", run.runId())
        .isPresent()) {
      throw new StoreException("run " + run.runId() + " already exists", null);
    }
    String key = run.idempotencyKey();
    if (key != null) {
      Optional<String> holder =
          JdbcRows.selectString(
              c,
              "SELECT run_id FROM opsflow_idempotency WHERE idempotency_key = ? FOR UPDATE",
              key);
      if (holder.isPresent()) {
        Optional<RunRecord> existing =
            JdbcRows.selectRecord(
                c, "SELECT record FROM opsflow_runs WHERE run_id = ?", holder.get());
        if (existing.isPresent() && !existing.get().state().allowsRetryOfKey()) {
          return new Created(existing.get(), false);
        }
        JdbcRows.update(
            c,
            "UPDATE opsflow_idempotency SET run_id = ? WHERE idempotency_key = ?",
            run.runId(),
            key);
      } else {
        JdbcRows.update(
            c,
            "INSERT INTO opsflow_idempotency (idempotency_key, run_id) VALUES (?, ?)",
            key,
            run.runId());
      }
    }
    RunRecord stored = run.withVersion(1);
    if (dialect == JdbcDialect.POSTGRESQL) {
      if (JdbcRows.insertRun(c, stored, "") == 0) {
        throw new StoreException("run " + run.runId() + " already exists", null);
      }
    } else {
      try (PreparedStatement ps =
          c.prepareStatement(JdbcRows.INSERT_RUN + dialect.jsonParameter + ")")) {
        JdbcRows.setRun(ps, stored);
        ps.executeUpdate();
      }
    }
    return new Created(stored, true);
  }

  @Override
  public RunRecord commit(RunRecord run, List<WorkflowEvent> events) {
    return gate.call(() -> commit(run, events, true));
  }

  /**
   * {@inheritDoc} On PostgreSQL the commit's transaction does not wait for its WAL to reach the
   * disk ({@code synchronous_commit} off for it alone); the run's next commit waits for its own
   * WAL, and so for this one's. Elsewhere, {@link #commit}.
   */
  @Override
  public RunRecord commitUnsynced(RunRecord run, List<WorkflowEvent> events) {
    return gate.call(() -> commit(run, events, false));
  }

  private RunRecord commit(RunRecord run, List<WorkflowEvent> events, boolean sync) {
    RunRecord stored = run.withVersion(run.version() + 1);
    ready();
    registerOrFail(stored.owner(), run.runId());
    if (dialect == JdbcDialect.POSTGRESQL) {
      // With the other runs' commits queued at this moment: one statement, one WAL flush.
      var request = new JdbcGroupCommit.Request(stored, run.version(), events, sync);
      return switch (group.commit(request)) {
        case COMMITTED -> stored;
        case NOT_UPDATED ->
            throw inAutoCommit("commit run " + run.runId(), c -> staleOrMissing(c, run));
        case ALONE -> commitAlone(request);
      };
    }
    return tx(
        "commit run " + run.runId(),
        c -> {
          if (save(c, stored, run.version()) == 0) {
            throw staleOrMissing(c, run);
          }
          if (!events.isEmpty()) {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "INSERT INTO opsflow_run_events "
                        + "(run_id, seq, event) VALUES (?, ?, "
                        + dialect.jsonParameter
                        + ")")) {
              for (WorkflowEvent e : events) {
                ps.setString(1, run.runId());
                ps.setLong(2, e.sequence());
                ps.setString(3, FileRecords.Mappers.EVENT_WRITER.writeValueAsString(e));
                ps.addBatch();
              }
              ps.executeBatch();
            }
          }
          return stored;
        });
  }

  /**
   * PostgreSQL: {@code r} by itself, after its batch failed. The batch's statement may have
   * committed before its connection was lost: then the row holds this very record at its new
   * version, and the commit is acknowledged rather than reported stale (its events were inserted
   * with it, and are not inserted twice: the update here matches no row).
   */
  private RunRecord commitAlone(JdbcGroupCommit.Request r) {
    RunRecord stored = r.run;
    return inAutoCommit(
        "commit run " + stored.runId(),
        c -> {
          if (JdbcOneStatement.commit(c, r) == 1) {
            return stored;
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT version, CAST(record AS TEXT) FROM opsflow_runs WHERE run_id = ?")) {
            ps.setString(1, stored.runId());
            try (ResultSet rs = ps.executeQuery()) {
              if (rs.next()
                  && rs.getLong(1) == stored.version()
                  && r.json.equals(rs.getString(2))) {
                return stored;
              }
            }
          }
          throw staleOrMissing(c, stored.withVersion(r.expectedVersion));
        });
  }

  private static StoreException staleOrMissing(Connection c, RunRecord run) throws SQLException {
    Optional<String> now =
        JdbcRows.selectString(
            c,
            "SELECT CAST(version AS VARCHAR(20)) FROM opsflow_runs WHERE run_id = ?",
            run.runId());
    if (now.isEmpty()) {
      return new StoreException("run " + run.runId() + " is not in the store", null);
    }
    return new StaleRunException(run.runId(), run.version(), Long.parseLong(now.get()));
  }

  /** Writes {@code run} over the row at {@code expectedVersion}; returns the rows changed. */
  private int save(Connection c, RunRecord run, long expectedVersion) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE opsflow_runs SET state = ?, owner = ?,"
                + " lease_until = ?, updated_at = ?, version = ?, record = "
                + dialect.jsonParameter
                + " WHERE run_id = ? AND version = ?")) {
      ps.setString(1, run.state().name());
      ps.setString(2, run.owner());
      JdbcRows.setInstant(ps, 3, run.leaseUntil());
      JdbcRows.setInstant(ps, 4, run.updatedAt());
      ps.setLong(5, run.version());
      ps.setString(6, Json.mapper().writeValueAsString(run));
      ps.setString(7, run.runId());
      ps.setLong(8, expectedVersion);
      return ps.executeUpdate();
    }
  }

  @Override
  public Optional<RunRecord> find(String runId) {
    return gate.call(
        () ->
            tx(
                "find run " + runId,
                c ->
                    JdbcRows.selectRecord(
                        c, "SELECT record FROM opsflow_runs WHERE run_id = ?", runId)));
  }

  @Override
  public Optional<RunRecord> findByIdempotencyKey(String idempotencyKey) {
    return gate.call(
        () ->
            tx(
                "find idempotency key",
                c ->
                    JdbcRows.selectRecord(
                        c,
                        "SELECT r.record FROM "
                            + "opsflow_idempotency i JOIN opsflow_runs r ON r.run_id = i.run_id "
                            + "WHERE i.idempotency_key = ?",
                        idempotencyKey)));
  }

  @Override
  public List<WorkflowEvent> events(String runId) {
    return gate.call(
        () ->
            tx(
                "read events of run " + runId,
                c -> {
                  try (PreparedStatement ps =
                      c.prepareStatement(
                          "SELECT event FROM opsflow_run_events WHERE run_id = ? ORDER BY seq")) {
                    ps.setString(1, runId);
                    var out = new ArrayList<WorkflowEvent>();
                    try (ResultSet rs = ps.executeQuery()) {
                      while (rs.next()) {
                        out.add(Json.mapper().readValue(rs.getString(1), WorkflowEvent.class));
                      }
                    }
                    return out;
                  }
                }));
  }

  @Override
  public List<RunRecord> query(RunQuery q) {
    return gate.call(() -> tx("query runs", c -> JdbcRows.query(c, q)));
  }

  @Override
  public Optional<RunRecord> claim(String runId, String owner, Instant now, Duration lease) {
    return gate.call(() -> claimNow(runId, owner, now, lease));
  }

  private Optional<RunRecord> claimNow(String runId, String owner, Instant now, Duration lease) {
    ready();
    // Before the claim's connection is taken (see create).
    registerOrFail(owner, runId);
    return tx(
        "claim run " + runId,
        c -> {
          Optional<RunRecord> found =
              JdbcRows.selectRecord(
                  c,
                  "SELECT record FROM opsflow_runs WHERE run_id = ?" + dialect.lockForClaim,
                  runId);
          if (found.isEmpty() || found.get().state().isFinished()) {
            return Optional.empty();
          }
          RunRecord current = found.get();
          boolean free =
              current.owner() == null
                  || owner.equals(current.owner())
                  || current.leaseUntil() == null
                  || current.leaseUntil().isBefore(now)
                  || (sessions && SessionOwners.isDead(c, current.owner()));
          if (!free) {
            return Optional.empty();
          }
          RunRecord claimed =
              current.withLease(owner, now.plus(lease)).withVersion(current.version() + 1);
          if (save(c, claimed, current.version()) == 0) {
            return Optional.empty();
          }
          return Optional.of(claimed);
        });
  }

  /**
   * {@inheritDoc} On PostgreSQL, also the runs whose owner's session ended (its advisory lock is
   * free, see {@link SessionOwners}), whatever their lease: they are taken over at once.
   */
  @Override
  public List<String> findExpired(Instant now, int limit) {
    return gate.call(
        () ->
            tx(
                "find expired runs",
                c -> {
                  try (PreparedStatement ps =
                      c.prepareStatement(
                          "SELECT run_id FROM opsflow_runs r WHERE "
                              + "state IN "
                              + UNFINISHED
                              + " AND (lease_until IS NULL OR lease_until < ?"
                              + (sessions ? " OR " + SessionOwners.deadOwner("r.owner") : "")
                              + ") ORDER BY created_at LIMIT ?")) {
                    JdbcRows.setInstant(ps, 1, now);
                    ps.setInt(2, limit);
                    var out = new ArrayList<String>();
                    try (ResultSet rs = ps.executeQuery()) {
                      while (rs.next()) {
                        out.add(rs.getString(1));
                      }
                    }
                    return out;
                  }
                }));
  }

  @Override
  public int deleteFinishedBefore(Instant cutoff) {
    return gate.call(() -> deleteFinished(cutoff));
  }

  private int deleteFinished(Instant cutoff) {
    String finished = "state NOT IN " + UNFINISHED + " AND updated_at < ?";
    return tx(
        "delete finished runs",
        c -> {
          try (PreparedStatement keys =
                  c.prepareStatement(
                      "DELETE FROM opsflow_idempotency WHERE "
                          + "run_id IN (SELECT run_id FROM opsflow_runs WHERE "
                          + finished
                          + ")");
              PreparedStatement runs =
                  c.prepareStatement("DELETE FROM opsflow_runs WHERE " + finished)) {
            JdbcRows.setInstant(keys, 1, cutoff);
            keys.executeUpdate();
            JdbcRows.setInstant(runs, 1, cutoff);
            return runs.executeUpdate();
          }
        });
  }

  @Override
  public boolean requestCancel(String runId, Instant at) {
    return requestCancel(runId, at, false);
  }

  @Override
  public boolean requestCancel(String runId, Instant at, boolean rollback) {
    return gate.call(() -> requestCancelNow(runId, at, rollback));
  }

  private boolean requestCancelNow(String runId, Instant at, boolean rollback) {
    try {
      return tx(
          "request cancel of run " + runId,
          c -> JdbcCancelRequests.request(c, runId, at, rollback));
    } catch (StoreException e) {
      // Two requests at once: the other one's row is the request.
      if (e.getCause() instanceof SQLException s && JdbcRows.isConflict(s)) {
        return cancelRequested(runId);
      }
      throw e;
    }
  }

  @Override
  public boolean cancelRequested(String runId) {
    return gate.call(
        () ->
            inAutoCommit(
                "read the cancel request of run " + runId,
                c -> JdbcCancelRequests.requested(c, runId)));
  }

  @Override
  public boolean rollbackRequested(String runId) {
    return gate.call(
        () ->
            inAutoCommit(
                "read the cancel request of run " + runId,
                c -> JdbcCancelRequests.rollbackRequested(c, runId)));
  }

  @Override
  public void withdrawCancelRequest(String runId) {
    gate.run(() -> withdraw(runId));
  }

  private void withdraw(String runId) {
    inAutoCommit(
        "withdraw the cancel request of run " + runId,
        c -> {
          JdbcCancelRequests.withdraw(c, runId);
          return null;
        });
  }

  /**
   * Closes the store: waits for the calls under way (a commit in flight on another thread finishes
   * and is acknowledged), refuses every later call with a {@link StoreException}, and ends this
   * store's owner session on PostgreSQL: the advisory lock its owners are recorded under is
   * released and the connection it held is given back to the pool. The owners that wrote through
   * this store then read as dead, so another instance takes their unfinished runs over at once, as
   * after a crash, rather than when their leases run out. Calling it again does nothing.
   *
   * <p>The {@code DataSource} stays the caller's: close it after the store. {@link
   * dev.opsflow.workflow.WorkflowEngine#close()} does not close the store it was given (several
   * engines may share one); close the engines first: a run still executing after its store closed
   * fails its next commit, and is left as its last commit left it for another instance to take
   * over.
   *
   * @throws IllegalStateException if called from inside a call of this store (it would wait for
   *     itself)
   */
  @Override
  public void close() {
    gate.close(owners::close);
  }

  @Override
  public String toString() {
    return "JdbcExecutionStore[" + (dialect == null ? "?" : dialect) + "]";
  }

  // ---- plumbing ----

  /** {@return whether close began} (tests wait for it) */
  boolean closing() {
    return gate.isClosed();
  }

  /** {@return the group commit of step commits on PostgreSQL} (tests count its statements) */
  JdbcGroupCommit groupCommit() {
    return group;
  }

  /** {@link #register}, a failure reported as the StoreException of an operation on the run. */
  private void registerOrFail(String owner, String runId) {
    try {
      register(owner);
    } catch (SQLException e) {
      throw new StoreException(
          "JDBC execution store could not record owner "
              + owner
              + " of run "
              + runId
              + ": "
              + e.getMessage()
              + " (SQLState "
              + e.getSQLState()
              + ")",
          e);
    }
  }

  /** Records a live owner before its first record is written (PostgreSQL only). */
  private void register(String owner) throws SQLException {
    if (sessions) {
      owners.register(owner);
    }
  }

  /** Work in one transaction. */
  @FunctionalInterface
  interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T tx(String what, SqlWork<T> work) {
    ready();
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        T out = work.run(c);
        c.commit();
        return out;
      } catch (SQLException | RuntimeException | Error e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException(
          "JDBC execution store could not "
              + what
              + ": "
              + e.getMessage()
              + " (SQLState "
              + e.getSQLState()
              + ")",
          e);
    }
  }

  private <T> T inAutoCommit(String what, SqlWork<T> work) {
    ready();
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      return work.run(c);
    } catch (SQLException e) {
      throw new StoreException(
          "JDBC execution store could not "
              + what
              + ": "
              + e.getMessage()
              + " (SQLState "
              + e.getSQLState()
              + ")",
          e);
    }
  }

  /** Detects the database and creates or checks the schema, once. */
  private void ready() {
    if (dialect != null) {
      return;
    }
    synchronized (this) {
      if (dialect != null) {
        return;
      }
      try (Connection c = dataSource.getConnection()) {
        JdbcDialect d = JdbcDialect.of(c);
        String where = c.getMetaData().getURL();
        if (createSchema) {
          d.createSchema(c);
        } else {
          d.verifySchema(c, where);
        }
        // A schema applied by the host before the owners table existed: leases only.
        c.setAutoCommit(true);
        sessions = d == JdbcDialect.POSTGRESQL && d.hasTable(c, "opsflow_owners");
        dialect = d;
      } catch (SQLException e) {
        throw new StoreException(
            "JDBC execution store cannot prepare its schema: "
                + e.getMessage()
                + " (SQLState "
                + e.getSQLState()
                + "); fix: check the DataSource "
                + "(URL, user, password) and that the user may create tables, or apply the schema "
                + "resource yourself and build the store with createSchema(false)",
            e);
      }
    }
  }

  /** Builds a {@link JdbcExecutionStore}. Not thread-safe. */
  public static final class Builder {
    private final DataSource dataSource;
    private boolean createSchema = true;

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource must not be null");
    }

    /**
     * Whether the store creates its tables on first use (default true). Turn it off when the host
     * applies {@code schema-postgresql.sql} with its own migration tool.
     *
     * @param create false when the host creates the tables itself
     * @return this builder
     */
    public Builder createSchema(boolean create) {
      this.createSchema = create;
      return this;
    }

    /** {@return the store; it connects on first use} */
    public JdbcExecutionStore build() {
      return new JdbcExecutionStore(this);
    }
  }

  /** Reservations live in their own table, {@code opsflow_reservations} (see JdbcReservations). */
  @Override
  public Optional<dev.opsflow.workflow.spi.Reservations> reservations() {
    return gate.call(() -> Optional.of(new JdbcReservations(dataSource)));
  }
}
