package dev.opsflow.workflow;

import java.time.Duration;

/**
 * How one run executes. Immutable; {@code RunOptions.defaults().withRollback(true)} or {@link
 * #builder()}.
 *
 * @param idempotencyKey runs with the same key execute once: a key whose run completed returns the
 *     stored result; a key whose run failed may run again. Null for none.
 * @param dryRun run prechecks and read-only steps only; the result says what each step would do
 * @param rollbackOnFailure on failure or cancellation, run the compensations of completed steps in
 *     reverse order
 * @param timeout a limit for the whole run, or null for none
 * @param runId the id to give the run, or null for a random one
 * @param cancelGrace how long the running step may take to stop after a cancel before the engine
 *     abandons it and ends the run CANCELLED; null for the engine's ({@link
 *     WorkflowEngine.Builder#cancelGrace}). Not kept in the store: a resumed run has the engine's.
 */
public record RunOptions(
    String idempotencyKey,
    boolean dryRun,
    boolean rollbackOnFailure,
    Duration timeout,
    String runId,
    Duration cancelGrace) {

  private static final RunOptions DEFAULTS = new RunOptions(null, false, false, null, null, null);

  /**
   * Checks the key, the id and the timeout.
   *
   * @param idempotencyKey runs with the same key execute once: a key whose run completed returns
   *     the stored result; a key whose run failed may run again. Null for none.
   * @param dryRun run prechecks and read-only steps only; the result says what each step would do
   * @param rollbackOnFailure on failure or cancellation, run the compensations of completed steps
   *     in reverse order
   * @param timeout a limit for the whole run, or null for none
   * @param runId the id to give the run, or null for a random one
   * @param cancelGrace how long the running step may take to stop after a cancel before the engine
   *     abandons it and ends the run CANCELLED; null for the engine's ({@link
   *     WorkflowEngine.Builder#cancelGrace}). Not kept in the store: a resumed run has the
   *     engine's.
   * @throws IllegalArgumentException for a blank key or id, or a timeout that is not positive
   */
  public RunOptions {
    if (idempotencyKey != null && idempotencyKey.isBlank()) {
      throw new IllegalArgumentException("idempotencyKey must not be blank");
    }
    if (runId != null && !runId.matches("[A-Za-z0-9_.:\\-]{1,128}")) {
      throw new IllegalArgumentException(
          "runId '" + runId + "' must be 1-128 characters of letters, digits, _ . : -");
    }
    if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
      throw new IllegalArgumentException("timeout must be > 0, was " + timeout);
    }
    if (cancelGrace != null && cancelGrace.isNegative()) {
      throw new IllegalArgumentException("cancelGrace must be >= 0, was " + cancelGrace);
    }
  }

  /**
   * Options with the engine's cancel grace.
   *
   * @param idempotencyKey runs with the same key execute once: a key whose run completed returns
   *     the stored result; a key whose run failed may run again. Null for none.
   * @param dryRun run prechecks and read-only steps only; the result says what each step would do
   * @param rollbackOnFailure on failure or cancellation, run the compensations of completed steps
   *     in reverse order
   * @param timeout a limit for the whole run, or null for none
   * @param runId the id to give the run, or null for a random one
   */
  public RunOptions(
      String idempotencyKey,
      boolean dryRun,
      boolean rollbackOnFailure,
      Duration timeout,
      String runId) {
    this(idempotencyKey, dryRun, rollbackOnFailure, timeout, runId, null);
  }

  /** {@return no key, not a dry run, no rollback, no timeout} */
  public static RunOptions defaults() {
    return DEFAULTS;
  }

  /** {@return a builder starting from the defaults} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A copy with this idempotency key.
   *
   * @param key the idempotency key, or null for none
   * @return a copy with that key
   */
  public RunOptions withIdempotencyKey(String key) {
    return new RunOptions(key, dryRun, rollbackOnFailure, timeout, runId, cancelGrace);
  }

  /**
   * A copy that is (or is not) a dry run.
   *
   * @param dry true for a dry run
   * @return a copy with that choice
   */
  public RunOptions withDryRun(boolean dry) {
    return new RunOptions(idempotencyKey, dry, rollbackOnFailure, timeout, runId, cancelGrace);
  }

  /**
   * A copy with rollback on failure on or off.
   *
   * @param rollback true to compensate completed steps when the run fails or is cancelled
   * @return a copy with that choice
   */
  public RunOptions withRollback(boolean rollback) {
    return new RunOptions(idempotencyKey, dryRun, rollback, timeout, runId, cancelGrace);
  }

  /**
   * A copy with a limit for the whole run.
   *
   * @param limit the run's time limit, or null for none
   * @return a copy with that limit
   */
  public RunOptions withTimeout(Duration limit) {
    return new RunOptions(idempotencyKey, dryRun, rollbackOnFailure, limit, runId, cancelGrace);
  }

  /**
   * A copy with a given run id.
   *
   * @param id the id to give the run, or null for a random one
   * @return a copy with that id
   */
  public RunOptions withRunId(String id) {
    return new RunOptions(idempotencyKey, dryRun, rollbackOnFailure, timeout, id, cancelGrace);
  }

  /**
   * A copy whose running step gets {@code grace} to stop after a cancel (null: the engine's).
   *
   * @param grace how long the running step may take to stop, or null for the engine's
   * @return a copy with that grace
   */
  public RunOptions withCancelGrace(Duration grace) {
    return new RunOptions(idempotencyKey, dryRun, rollbackOnFailure, timeout, runId, grace);
  }

  /** Builds {@link RunOptions}. Not thread-safe. */
  public static final class Builder {
    private RunOptions options = DEFAULTS;

    private Builder() {}

    /**
     * See {@link RunOptions#idempotencyKey()}.
     *
     * @param key the idempotency key, or null for none
     * @return this builder
     */
    public Builder idempotencyKey(String key) {
      options = options.withIdempotencyKey(key);
      return this;
    }

    /**
     * See {@link RunOptions#dryRun()}.
     *
     * @param dry true for a dry run
     * @return this builder
     */
    public Builder dryRun(boolean dry) {
      options = options.withDryRun(dry);
      return this;
    }

    /**
     * See {@link RunOptions#rollbackOnFailure()}.
     *
     * @param rollback true to compensate completed steps when the run fails or is cancelled
     * @return this builder
     */
    public Builder rollbackOnFailure(boolean rollback) {
      options = options.withRollback(rollback);
      return this;
    }

    /**
     * See {@link RunOptions#timeout()}.
     *
     * @param limit the run's time limit, or null for none
     * @return this builder
     */
    public Builder timeout(Duration limit) {
      options = options.withTimeout(limit);
      return this;
    }

    /**
     * See {@link RunOptions#runId()}.
     *
     * @param id the id to give the run, or null for a random one
     * @return this builder
     */
    public Builder runId(String id) {
      options = options.withRunId(id);
      return this;
    }

    /**
     * See {@link RunOptions#cancelGrace()}.
     *
     * @param grace how long the running step may take to stop after a cancel, or null for the
     *     engine's
     * @return this builder
     */
    public Builder cancelGrace(Duration grace) {
      options = options.withCancelGrace(grace);
      return this;
    }

    /** {@return the options} */
    public RunOptions build() {
      return options;
    }
  }
}
