package dev.opsflow.workflow.spi;

import dev.opsflow.workflow.RunState;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * A filter over stored runs; null fields match everything. Immutable: {@code
 * RunQuery.all().withWorkflow("init-cluster").withState(RunState.FAILED)}.
 *
 * <p>Runs come newest first ({@link #NEWEST_FIRST}: by creation time, then by run id). To page
 * through them, ask for the next page with {@code query.after(RunQuery.Cursor.of(lastRunOfPage))}:
 * a cursor, not an offset, so a page costs the same however deep it is and runs created meanwhile
 * never shift a page.
 *
 * @param workflow the workflow's name
 * @param state the run's state
 * @param createdFrom runs created at or after this time
 * @param createdTo runs created before this time
 * @param idempotencyKey the run's idempotency key
 * @param limit at most this many runs (default 100)
 * @param after only runs that come after this position in the newest-first order, or null
 */
public record RunQuery(
    String workflow,
    RunState state,
    Instant createdFrom,
    Instant createdTo,
    String idempotencyKey,
    int limit,
    Cursor after) {

  /** The order of {@link ExecutionStore#query}: newest first, then by run id. */
  public static final Comparator<RunRecord> NEWEST_FIRST =
      Comparator.comparing(RunRecord::createdAt).reversed().thenComparing(RunRecord::runId);

  /**
   * A position in the newest-first order: the creation time and id of the last run of a page.
   *
   * @param createdAt the run's creation time
   * @param runId the run's id
   */
  public record Cursor(Instant createdAt, String runId) {
    /**
     * Checks that both parts are given.
     *
     * @param createdAt the run's creation time
     * @param runId the run's id
     */
    public Cursor {
      Objects.requireNonNull(createdAt, "cursor createdAt must not be null");
      Objects.requireNonNull(runId, "cursor runId must not be null");
    }

    /**
     * The position of {@code run}.
     *
     * @param run a stored run
     * @return its position
     */
    public static Cursor of(RunRecord run) {
      return new Cursor(run.createdAt(), run.runId());
    }

    /**
     * Whether {@code run} comes after this position in the newest-first order.
     *
     * @param run a stored run
     * @return true if {@code run} is on a later page than this position
     */
    public boolean precedes(RunRecord run) {
      int byTime = run.createdAt().compareTo(createdAt);
      return byTime < 0 || (byTime == 0 && run.runId().compareTo(runId) > 0);
    }
  }

  /**
   * Checks the limit.
   *
   * @param workflow the workflow's name
   * @param state the run's state
   * @param createdFrom runs created at or after this time
   * @param createdTo runs created before this time
   * @param idempotencyKey the run's idempotency key
   * @param limit at most this many runs (default 100)
   * @param after only runs that come after this position in the newest-first order, or null
   * @throws IllegalArgumentException if {@code limit} is less than 1
   */
  public RunQuery {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, was " + limit);
    }
  }

  /**
   * A query without a cursor (the first page).
   *
   * @param workflow the workflow's name
   * @param state the run's state
   * @param createdFrom runs created at or after this time
   * @param createdTo runs created before this time
   * @param idempotencyKey the run's idempotency key
   * @param limit at most this many runs (default 100)
   */
  public RunQuery(
      String workflow,
      RunState state,
      Instant createdFrom,
      Instant createdTo,
      String idempotencyKey,
      int limit) {
    this(workflow, state, createdFrom, createdTo, idempotencyKey, limit, null);
  }

  /** {@return every run, at most 100} */
  public static RunQuery all() {
    return new RunQuery(null, null, null, null, null, 100, null);
  }

  /**
   * A copy for the runs of one workflow.
   *
   * @param name the workflow's name, or null for any
   * @return the copy
   */
  public RunQuery withWorkflow(String name) {
    return new RunQuery(name, state, createdFrom, createdTo, idempotencyKey, limit, after);
  }

  /**
   * A copy for the runs in one state.
   *
   * @param s the state, or null for any
   * @return the copy
   */
  public RunQuery withState(RunState s) {
    return new RunQuery(workflow, s, createdFrom, createdTo, idempotencyKey, limit, after);
  }

  /**
   * A copy for the runs created in a time range.
   *
   * @param from the earliest creation time, included, or null for no bound
   * @param to the latest creation time, excluded, or null for no bound
   * @return the copy
   */
  public RunQuery createdBetween(Instant from, Instant to) {
    return new RunQuery(workflow, state, from, to, idempotencyKey, limit, after);
  }

  /**
   * A copy for the run that holds an idempotency key.
   *
   * @param key the key, or null for any
   * @return the copy
   */
  public RunQuery withIdempotencyKey(String key) {
    return new RunQuery(workflow, state, createdFrom, createdTo, key, limit, after);
  }

  /**
   * A copy with another page size.
   *
   * @param max the most runs to return, at least 1
   * @return the copy
   */
  public RunQuery withLimit(int max) {
    return new RunQuery(workflow, state, createdFrom, createdTo, idempotencyKey, max, after);
  }

  /**
   * A copy for the page that follows {@code cursor} (null: the first page).
   *
   * @param cursor the position of the last run of the previous page, or null
   * @return the copy
   */
  public RunQuery after(Cursor cursor) {
    return new RunQuery(workflow, state, createdFrom, createdTo, idempotencyKey, limit, cursor);
  }

  /**
   * Whether {@code run} matches.
   *
   * @param run a stored run
   * @return true if it passes every filter and comes after the cursor
   */
  public boolean matches(RunRecord run) {
    return (workflow == null || workflow.equals(run.workflow()))
        && (state == null || state == run.state())
        && (createdFrom == null || !run.createdAt().isBefore(createdFrom))
        && (createdTo == null || run.createdAt().isBefore(createdTo))
        && (idempotencyKey == null || idempotencyKey.equals(run.idempotencyKey()))
        && (after == null || after.precedes(run));
  }
}
