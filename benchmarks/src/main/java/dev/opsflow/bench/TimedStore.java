package dev.opsflow.bench;

import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.spi.ExecutionStore;
import dev.opsflow.workflow.spi.Reservations;
import dev.opsflow.workflow.spi.RunQuery;
import dev.opsflow.workflow.spi.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A store that passes every call to another and notes when each create and commit started and ended
 * ({@link System#nanoTime()}), for {@link PostgresRoundTripBreakdown}. One run at a time.
 */
final class TimedStore implements ExecutionStore {
  private final ExecutionStore delegate;
  private final List<long[]> calls = new ArrayList<>();
  private RunRecord last;

  TimedStore(ExecutionStore delegate) {
    this.delegate = delegate;
  }

  /** Forgets the calls noted so far. */
  synchronized void reset() {
    calls.clear();
  }

  /** {@return the start and end of each create and commit since the last reset} */
  synchronized List<long[]> calls() {
    return new ArrayList<>(calls);
  }

  /** {@return the record of the last create or commit} */
  synchronized RunRecord last() {
    return last;
  }

  private synchronized void note(long start, RunRecord run) {
    calls.add(new long[] {start, System.nanoTime()});
    last = run;
  }

  @Override
  public Created create(RunRecord run) {
    long t = System.nanoTime();
    Created c = delegate.create(run);
    note(t, c.run());
    return c;
  }

  @Override
  public Created createUnsynced(RunRecord run) {
    long t = System.nanoTime();
    Created c = delegate.createUnsynced(run);
    note(t, c.run());
    return c;
  }

  @Override
  public Created createUnsynced(RunRecord run, List<WorkflowEvent> events) {
    long t = System.nanoTime();
    Created c = delegate.createUnsynced(run, events);
    note(t, c.run());
    return c;
  }

  @Override
  public RunRecord commit(RunRecord run, List<WorkflowEvent> events) {
    long t = System.nanoTime();
    RunRecord r = delegate.commit(run, events);
    note(t, r);
    return r;
  }

  @Override
  public RunRecord commitUnsynced(RunRecord run, List<WorkflowEvent> events) {
    long t = System.nanoTime();
    RunRecord r = delegate.commitUnsynced(run, events);
    note(t, r);
    return r;
  }

  @Override
  public Optional<RunRecord> find(String runId) {
    return delegate.find(runId);
  }

  @Override
  public Optional<RunRecord> findByIdempotencyKey(String idempotencyKey) {
    return delegate.findByIdempotencyKey(idempotencyKey);
  }

  @Override
  public List<WorkflowEvent> events(String runId) {
    return delegate.events(runId);
  }

  @Override
  public List<RunRecord> query(RunQuery query) {
    return delegate.query(query);
  }

  @Override
  public Optional<RunRecord> claim(String runId, String owner, Instant now, Duration lease) {
    return delegate.claim(runId, owner, now, lease);
  }

  @Override
  public List<String> findExpired(Instant now, int limit) {
    return delegate.findExpired(now, limit);
  }

  @Override
  public int deleteFinishedBefore(Instant cutoff) {
    return delegate.deleteFinishedBefore(cutoff);
  }

  @Override
  public boolean requestCancel(String runId, Instant at) {
    return delegate.requestCancel(runId, at);
  }

  @Override
  public boolean requestCancel(String runId, Instant at, boolean rollback) {
    return delegate.requestCancel(runId, at, rollback);
  }

  @Override
  public boolean rollbackRequested(String runId) {
    return delegate.rollbackRequested(runId);
  }

  @Override
  public boolean cancelRequested(String runId) {
    return delegate.cancelRequested(runId);
  }

  @Override
  public void withdrawCancelRequest(String runId) {
    delegate.withdrawCancelRequest(runId);
  }

  @Override
  public boolean durable() {
    return delegate.durable();
  }

  @Override
  public Optional<Reservations> reservations() {
    return delegate.reservations();
  }
}
