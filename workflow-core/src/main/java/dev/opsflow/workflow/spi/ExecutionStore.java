package dev.opsflow.workflow.spi;

import dev.opsflow.workflow.event.WorkflowEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where an engine keeps its runs and their event journals. Implementations must be thread-safe, and
 * a durable one must be safe across processes that share it: {@link #create} and {@link #claim} are
 * atomic, and {@link #commit} is optimistic (it fails when the stored version moved).
 *
 * <p>Opsflow ships an in-memory store (the default), a file store and a JDBC store; all pass one
 * contract test suite. A decorator of a store (one that counts, times or fails some calls) extends
 * {@link ForwardingExecutionStore}, which forwards every method.
 */
public interface ExecutionStore {

  /**
   * The outcome of {@link #create}: the run that holds the key, and whether it is the new one.
   *
   * @param run the run that holds the key: the new one, or the one that held it before
   * @param created whether {@code run} is the new one
   */
  record Created(RunRecord run, boolean created) {}

  /**
   * Creates {@code run} (version 1), unless its idempotency key is held by a run whose state does
   * not allow a retry of the key ({@link dev.opsflow.workflow.RunState#allowsRetryOfKey()}): then
   * nothing is created and that run is returned. Atomic.
   *
   * @param run the new run, version 1
   * @return whether it was created, and the run that holds the key (the new one, or the one that
   *     held it)
   * @throws StoreException if the store fails, or a run with the same id exists
   */
  Created create(RunRecord run);

  /**
   * Saves {@code run} and appends {@code events} to its journal, in one atomic change, if the
   * stored version is {@code run.version()}; returns the record as stored (version + 1).
   *
   * @param run the run as it is now, with the version it was read at
   * @param events the events to append, in sequence order
   * @return the run as stored, its version one higher
   * @throws StaleRunException if the stored version is another (someone else changed the run)
   * @throws StoreException if the store fails
   */
  RunRecord commit(RunRecord run, List<WorkflowEvent> events);

  /**
   * Creates {@code run} as {@link #create} does, but may leave the creation to be made durable by
   * the run's next {@link #commit}: it is visible at once and survives the crash of this process,
   * but a crash of the machine (a power cut) before that commit may lose it. The engine creates a
   * run this way when it executes the run at once, so that the run's creation and start are made
   * durable with its first step's commit (or its first lease renewal, if that comes first). The
   * default is {@link #create}.
   *
   * @param run the new run
   * @return as {@link #create}: the run created, or the run already holding its idempotency key
   */
  default Created createUnsynced(RunRecord run) {
    return create(run);
  }

  /**
   * Commits as {@link #commit} does, but may leave the change to be made durable by the run's next
   * {@link #commit}: it is visible at once and survives the crash of this process, but a crash of
   * the machine before that commit may lose it (the run then reads as before this change). The
   * engine commits a run's start this way: its first step's commit follows. The default is {@link
   * #commit}.
   *
   * @param run the run as it is now
   * @param events the events since its last commit, to append to its journal
   * @return the run as stored
   */
  default RunRecord commitUnsynced(RunRecord run, List<WorkflowEvent> events) {
    return commit(run, events);
  }

  /**
   * Creates {@code run} with {@code events} as the start of its journal, each as unsynced as {@link
   * #createUnsynced(RunRecord)} and {@link #commitUnsynced}. The engine creates a run this way when
   * it has already started it and nobody can see it yet (the caller of {@code engine.run} waits for
   * its result, with no idempotency key and no run id of its own): its creation and its start are
   * then one write (one round trip on PostgreSQL). The default is {@link
   * #createUnsynced(RunRecord)}, then {@link #commitUnsynced} of the events when it created the
   * run.
   *
   * @param run the new run, as it started
   * @param events its first events
   * @return as {@link #create}: the run as stored (its version counts both writes in the default)
   *     and whether it was created
   */
  default Created createUnsynced(RunRecord run, List<WorkflowEvent> events) {
    Created created = createUnsynced(run);
    if (!created.created() || events.isEmpty()) {
      return created;
    }
    return new Created(commitUnsynced(created.run(), events), true);
  }

  /**
   * The run {@code runId}, if stored.
   *
   * @param runId a run's id
   * @return the stored run, or empty
   */
  Optional<RunRecord> find(String runId);

  /**
   * The run that holds {@code idempotencyKey} now, if any.
   *
   * @param idempotencyKey an idempotency key
   * @return the run that holds it, or empty
   */
  Optional<RunRecord> findByIdempotencyKey(String idempotencyKey);

  /**
   * The run's event journal, in sequence order.
   *
   * @param runId a run's id
   * @return its events, oldest first; empty for an unknown run
   */
  List<WorkflowEvent> events(String runId);

  /**
   * Runs matching {@code query}, newest first.
   *
   * @param query the filter, limit and page
   * @return the matching runs, newest first
   */
  List<RunRecord> query(RunQuery query);

  /**
   * Takes the lease of an unfinished run for {@code owner} until {@code now + lease}, if it has no
   * owner, its lease expired before {@code now}, {@code owner} holds it already, or (in a store
   * that can tell, like the file and PostgreSQL stores) its owner's process is gone. Atomic.
   *
   * @param runId the run to claim
   * @param owner the engine's owner id
   * @param now the time of the claim, by the engine's clock
   * @param lease how long the lease lasts without a renewal
   * @return the claimed run (version + 1), or empty when another owner holds a live lease or the
   *     run is finished or unknown
   */
  Optional<RunRecord> claim(String runId, String owner, Instant now, Duration lease);

  /**
   * Ids of RUNNING or PENDING runs whose lease expired before {@code now}, or whose owner's process
   * a store can tell is gone (the file and PostgreSQL stores), oldest first.
   *
   * @param now the time to compare leases with
   * @param limit the most ids to return
   * @return the ids of runs an engine may recover, oldest first
   */
  List<String> findExpired(Instant now, int limit);

  /**
   * Deletes finished runs (and their journals) that ended before {@code cutoff}; returns how many.
   *
   * @param cutoff runs that ended before this time are deleted
   * @return how many runs were deleted
   */
  int deleteFinishedBefore(Instant cutoff);

  /**
   * Records a request to cancel the unfinished run {@code runId}, for whichever engine executes it:
   * engines poll it with their lease heartbeat, so a cancel reaches a run executing in another
   * process ({@code opsflow cancel} from another shell). The request stays until the run is
   * reopened by a resume of a finished run; an unfinished run resumed later is cancelled at once.
   *
   * @param runId the run to cancel
   * @param at when the cancel was asked for
   * @return whether the run exists and is unfinished (false: nothing recorded)
   * @throws UnsupportedOperationException if this store takes no cancel requests
   * @throws StoreException if the store fails
   */
  default boolean requestCancel(String runId, Instant at) {
    throw new UnsupportedOperationException(
        getClass().getName() + " does not keep cancel requests");
  }

  /**
   * Records a request to cancel {@code runId} as {@link #requestCancel(String, Instant)} does, and
   * with {@code rollback} to undo its completed steps too: the engine that ends it runs their
   * compensations whatever the run's own rollback option, and the run ends ROLLED_BACK ({@code
   * opsflow cancel --rollback}).
   *
   * @param runId the run to cancel
   * @param at when the cancel was asked for
   * @param rollback whether its completed steps are to be undone too
   * @return as {@link #requestCancel(String, Instant)}: whether the run exists and is unfinished
   * @throws UnsupportedOperationException if {@code rollback} and this store keeps no rollback
   *     requests
   */
  default boolean requestCancel(String runId, Instant at, boolean rollback) {
    if (!rollback) {
      return requestCancel(runId, at);
    }
    throw new UnsupportedOperationException(
        getClass().getName() + " does not keep requests to cancel and roll back");
  }

  /**
   * Whether the cancel requested of a run asked to roll its completed steps back.
   *
   * @param runId a run's id
   * @return true while a pending cancel of the run asks for its rollback
   */
  default boolean rollbackRequested(String runId) {
    return false;
  }

  /**
   * Whether a cancel of {@code runId} was requested and not withdrawn.
   *
   * @param runId a run's id
   * @return true while a cancel of the run is pending
   */
  default boolean cancelRequested(String runId) {
    return false;
  }

  /**
   * Withdraws a cancel request of {@code runId}, if any (the run is being reopened).
   *
   * @param runId a run's id
   */
  default void withdrawCancelRequest(String runId) {}

  /**
   * {@return whether runs kept here outlive this JVM} A durable store gets a commit after every
   * step, so a run resumes after a crash without repeating a completed step. A store that does not
   * (the in-memory one) gets commits when a run starts and ends, when its lease is renewed, and
   * when it is reopened: a crash loses it anyway, and the engine saves a commit per step.
   */
  default boolean durable() {
    return true;
  }

  /**
   * {@return the store's durable reservations of named resources (addresses of a range...), kept
   * beside its runs and shared by every engine on the store; empty for a store that keeps none} The
   * stores Opsflow ships all keep them.
   */
  default Optional<Reservations> reservations() {
    return Optional.empty();
  }
}
