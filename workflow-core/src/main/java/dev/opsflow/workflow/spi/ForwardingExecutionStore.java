package dev.opsflow.workflow.spi;

import dev.opsflow.workflow.event.WorkflowEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A store that forwards every call to another store: extend it and override what a decorator
 * changes (counting or timing commits, injecting a fault), and the rest stays the wrapped store's.
 *
 * <pre>{@code
 * final class CountingStore extends ForwardingExecutionStore {
 *   final AtomicInteger commits = new AtomicInteger();
 *
 *   CountingStore(ExecutionStore store) { super(store); }
 *
 *   @Override
 *   public RunRecord commit(RunRecord run, List<WorkflowEvent> events) {
 *     commits.incrementAndGet();
 *     return super.commit(run, events);
 *   }
 * }
 * }</pre>
 *
 * <p>Every method is forwarded, the interface's default methods included: a store's own {@link
 * #createUnsynced(RunRecord, List)} may make in one write what the default makes in two, and its
 * own {@link #requestCancel} keeps requests the default refuses. A decorator that overrides {@link
 * #commit} therefore does not see the commits the wrapped store makes inside {@link
 * #commitUnsynced} or {@link #createUnsynced(RunRecord, List)}: it overrides those too if it needs
 * them. Thread-safe if the wrapped store is and the overrides are.
 */
public abstract class ForwardingExecutionStore implements ExecutionStore {
  private final ExecutionStore delegate;

  /**
   * Forwards to {@code delegate}.
   *
   * @param delegate the store to wrap; every method not overridden calls it
   * @throws NullPointerException if {@code delegate} is null
   */
  protected ForwardingExecutionStore(ExecutionStore delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate must not be null");
  }

  /** {@return the wrapped store} */
  protected ExecutionStore delegate() {
    return delegate;
  }

  @Override
  public Created create(RunRecord run) {
    return delegate.create(run);
  }

  @Override
  public RunRecord commit(RunRecord run, List<WorkflowEvent> events) {
    return delegate.commit(run, events);
  }

  @Override
  public Created createUnsynced(RunRecord run) {
    return delegate.createUnsynced(run);
  }

  @Override
  public RunRecord commitUnsynced(RunRecord run, List<WorkflowEvent> events) {
    return delegate.commitUnsynced(run, events);
  }

  @Override
  public Created createUnsynced(RunRecord run, List<WorkflowEvent> events) {
    return delegate.createUnsynced(run, events);
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

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + delegate + "]";
  }
}
