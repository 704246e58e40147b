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
 * The default store: runs live in this JVM's memory and are gone when it exits. Thread-safe (one
 * lock; every operation is a few map look-ups).
 */
public final class InMemoryExecutionStore implements ExecutionStore {
  private final Map<String, RunRecord> runs = new HashMap<>();
  private final Map<String, List<WorkflowEvent>> journals = new HashMap<>();
  private final Map<String, String> keys = new HashMap<>();

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
    return stored;
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
        .sorted(Comparator.comparing(RunRecord::createdAt).reversed())
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
    boolean free = current.owner() == null
        || owner.equals(current.owner())
        || current.leaseUntil() == null
        || current.leaseUntil().isBefore(now);
    if (!free) {
      return Optional.empty();
    }
    RunRecord claimed = current.withLease(owner, now.plus(lease)).withVersion(current.version() + 1);
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
    List<String> doomed = runs.values().stream()
        .filter(r -> r.state().isFinished() && r.updatedAt().isBefore(cutoff))
        .map(RunRecord::runId)
        .toList();
    for (String id : doomed) {
      RunRecord r = runs.remove(id);
      journals.remove(id);
      if (r.idempotencyKey() != null && id.equals(keys.get(r.idempotencyKey()))) {
        keys.remove(r.idempotencyKey());
      }
    }
    return doomed.size();
  }
}
