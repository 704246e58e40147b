package dev.opsflow.workflow.store;

import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.spi.ExecutionStore;
import dev.opsflow.workflow.spi.RunQuery;
import dev.opsflow.workflow.spi.RunRecord;
import dev.opsflow.workflow.spi.StaleRunException;
import dev.opsflow.workflow.spi.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The default store: runs live in this JVM's memory and are gone when it exits. It keeps every
 * unfinished run and the most recent finished ones (10,000 by default): a long-lived host does not
 * grow without bound, and an idempotency key is remembered as long as its run is. Thread-safe (one
 * lock; every operation is a few map look-ups).
 */
public final class InMemoryExecutionStore implements ExecutionStore {
  /** How many finished runs the default store keeps. */
  public static final int DEFAULT_MAX_FINISHED_RUNS = 10_000;

  private final Map<String, RunRecord> runs = new HashMap<>();
  private final InMemoryReservations reservations = new InMemoryReservations();
  private final Map<String, List<WorkflowEvent>> journals = new HashMap<>();
  private final Map<String, String> keys = new HashMap<>();
  private final java.util.Set<String> cancelRequests = new java.util.HashSet<>();
  private final java.util.Set<String> rollbackRequests = new java.util.HashSet<>();

  /** Finished runs, oldest first, for eviction. */
  private final java.util.LinkedHashSet<String> finished = new java.util.LinkedHashSet<>();

  private final int maxFinishedRuns;

  /** A store that keeps the last {@value #DEFAULT_MAX_FINISHED_RUNS} finished runs. */
  public InMemoryExecutionStore() {
    this(DEFAULT_MAX_FINISHED_RUNS);
  }

  /**
   * A store that keeps the last {@code maxFinishedRuns} finished runs; older ones are forgotten,
   * with their journals and idempotency keys.
   *
   * @param maxFinishedRuns how many finished runs to keep, at least 1
   * @throws IllegalArgumentException if maxFinishedRuns &lt; 1
   */
  public InMemoryExecutionStore(int maxFinishedRuns) {
    if (maxFinishedRuns < 1) {
      throw new IllegalArgumentException("maxFinishedRuns must be >= 1, was " + maxFinishedRuns);
    }
    this.maxFinishedRuns = maxFinishedRuns;
  }

  @Override
  public synchronized Created create(RunRecord run) {
    if (runs.containsKey(run.runId())) {
      throw new StoreException("run " + run.runId() + " already exists", null);
    }
    if (run.idempotencyKey() != null) {
      String holder = keys.get(run.idempotencyKey());
      if (holder != null) {
        RunRecord existing = runs.get(holder);
        if (existing != null && !existing.state().allowsRetryOfKey()) {
          return new Created(existing, false);
        }
      }
      keys.put(run.idempotencyKey(), run.runId());
    }
    RunRecord stored = run.withVersion(1);
    runs.put(run.runId(), stored);
    journals.put(run.runId(), new ArrayList<>());
    return new Created(stored, true);
  }

  @Override
  public synchronized RunRecord commit(RunRecord run, List<WorkflowEvent> events) {
    RunRecord current = runs.get(run.runId());
    if (current == null) {
      throw new StoreException("run " + run.runId() + " is not in the store", null);
    }
    if (current.version() != run.version()) {
      throw new StaleRunException(run.runId(), run.version(), current.version());
    }
    RunRecord stored = run.withVersion(run.version() + 1);
    runs.put(run.runId(), stored);
    if (!events.isEmpty()) {
      journals.get(run.runId()).addAll(events);
    }
    if (stored.state().isFinished()) {
      finished.add(run.runId());
      while (finished.size() > maxFinishedRuns) {
        var oldest = finished.iterator();
        forget(oldest.next());
        oldest.remove();
      }
    } else if (current.state().isFinished()) {
      finished.remove(run.runId()); // reopened to be resumed
    }
    return stored;
  }

  /** False: runs kept here die with the JVM. */
  @Override
  public boolean durable() {
    return false;
  }

  @Override
  public synchronized boolean requestCancel(String runId, Instant at) {
    return requestCancel(runId, at, false);
  }

  @Override
  public synchronized boolean requestCancel(String runId, Instant at, boolean rollback) {
    RunRecord r = runs.get(runId);
    if (r == null || r.state().isFinished()) {
      return false;
    }
    cancelRequests.add(runId);
    if (rollback) {
      rollbackRequests.add(runId);
    }
    return true;
  }

  @Override
  public synchronized boolean rollbackRequested(String runId) {
    return rollbackRequests.contains(runId);
  }

  @Override
  public synchronized boolean cancelRequested(String runId) {
    return cancelRequests.contains(runId);
  }

  @Override
  public synchronized void withdrawCancelRequest(String runId) {
    cancelRequests.remove(runId);
    rollbackRequests.remove(runId);
  }

  private void forget(String runId) {
    cancelRequests.remove(runId);
    rollbackRequests.remove(runId);
    RunRecord r = runs.remove(runId);
    journals.remove(runId);
    if (r != null && r.idempotencyKey() != null && runId.equals(keys.get(r.idempotencyKey()))) {
      keys.remove(r.idempotencyKey());
    }
  }

  @Override
  public synchronized Optional<RunRecord> find(String runId) {
    return Optional.ofNullable(runs.get(runId));
  }

  @Override
  public synchronized Optional<RunRecord> findByIdempotencyKey(String idempotencyKey) {
    String holder = keys.get(idempotencyKey);
    return holder == null ? Optional.empty() : Optional.ofNullable(runs.get(holder));
  }

  @Override
  public synchronized List<WorkflowEvent> events(String runId) {
    List<WorkflowEvent> journal = journals.get(runId);
    return journal == null ? List.of() : List.copyOf(journal);
  }

  @Override
  public synchronized List<RunRecord> query(RunQuery query) {
    return runs.values().stream()
        .filter(query::matches)
        .sorted(RunQuery.NEWEST_FIRST)
        .limit(query.limit())
        .toList();
  }

  @Override
  public synchronized Optional<RunRecord> claim(
      String runId, String owner, Instant now, Duration lease) {
    RunRecord current = runs.get(runId);
    if (current == null || current.state().isFinished()) {
      return Optional.empty();
    }
    boolean free =
        current.owner() == null
            || owner.equals(current.owner())
            || current.leaseUntil() == null
            || current.leaseUntil().isBefore(now);
    if (!free) {
      return Optional.empty();
    }
    RunRecord claimed =
        current.withLease(owner, now.plus(lease)).withVersion(current.version() + 1);
    runs.put(runId, claimed);
    return Optional.of(claimed);
  }

  @Override
  public synchronized List<String> findExpired(Instant now, int limit) {
    return runs.values().stream()
        .filter(r -> !r.state().isFinished())
        .filter(r -> r.leaseUntil() == null || r.leaseUntil().isBefore(now))
        .sorted(Comparator.comparing(RunRecord::createdAt))
        .limit(limit)
        .map(RunRecord::runId)
        .toList();
  }

  @Override
  public synchronized int deleteFinishedBefore(Instant cutoff) {
    List<String> doomed =
        runs.values().stream()
            .filter(r -> r.state().isFinished() && r.updatedAt().isBefore(cutoff))
            .map(RunRecord::runId)
            .toList();
    for (String id : doomed) {
      forget(id);
      finished.remove(id);
    }
    return doomed.size();
  }

  @Override
  public Optional<dev.opsflow.workflow.spi.Reservations> reservations() {
    return Optional.of(reservations);
  }
}
