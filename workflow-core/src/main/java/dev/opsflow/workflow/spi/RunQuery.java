package dev.opsflow.workflow.spi;

import dev.opsflow.workflow.RunState;
import java.time.Instant;

/**
 * A filter over stored runs; null fields match everything. Immutable: {@code
 * RunQuery.all().withWorkflow("init-cluster").withState(RunState.FAILED)}.
 *
 * @param workflow the workflow's name
 * @param state the run's state
 * @param createdFrom runs created at or after this time
 * @param createdTo runs created before this time
 * @param idempotencyKey the run's idempotency key
 * @param limit at most this many runs (default 100)
 */
public record RunQuery(
    String workflow,
    RunState state,
    Instant createdFrom,
    Instant createdTo,
    String idempotencyKey,
    int limit) {

  public RunQuery {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, was " + limit);
    }
  }

  /** Every run, at most 100. */
  public static RunQuery all() {
    return new RunQuery(null, null, null, null, null, 100);
  }

  public RunQuery withWorkflow(String name) {
    return new RunQuery(name, state, createdFrom, createdTo, idempotencyKey, limit);
  }

  public RunQuery withState(RunState s) {
    return new RunQuery(workflow, s, createdFrom, createdTo, idempotencyKey, limit);
  }

  public RunQuery createdBetween(Instant from, Instant to) {
    return new RunQuery(workflow, state, from, to, idempotencyKey, limit);
  }

  public RunQuery withIdempotencyKey(String key) {
    return new RunQuery(workflow, state, createdFrom, createdTo, key, limit);
  }

  public RunQuery withLimit(int max) {
    return new RunQuery(workflow, state, createdFrom, createdTo, idempotencyKey, max);
  }

  /** Whether {@code run} matches. */
  public boolean matches(RunRecord run) {
    return (workflow == null || workflow.equals(run.workflow()))
        && (state == null || state == run.state())
        && (createdFrom == null || !run.createdAt().isBefore(createdFrom))
        && (createdTo == null || run.createdAt().isBefore(createdTo))
        && (idempotencyKey == null || idempotencyKey.equals(run.idempotencyKey()));
  }
}
