package dev.opsflow.workflow.internal;

import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.Key;
import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.RunStatus;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.StepOutcome;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.event.WorkflowListener;
import dev.opsflow.workflow.spi.ExecutionStore;
import dev.opsflow.workflow.spi.RunRecord;
import dev.opsflow.workflow.spi.StoreException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The shared state of one run: context, outputs, outcomes, events, cancellation, live status. */
final class RunScope {
  /** What a cancel stops: an attempt waiting on the run's thread, or one on a thread of its own. */
  interface Stoppable {
    /** Interrupts it if it still runs; returns whether it did. */
    boolean fire(AttemptGuard.Reason why);
  }

  static final Logger LOG = LoggerFactory.getLogger("dev.opsflow.workflow.engine");

  final String runId;
  final Workflow workflow;
  final RunOptions options;
  final EngineServices services;
  final Set<String> secretInputs;
  final Instant startedAt;

  private final Map<String, Object> context = new ConcurrentHashMap<>();
  private final Map<String, Object> outputs = new LinkedHashMap<>();
  private final Map<String, StepOutcome> outcomes = new LinkedHashMap<>();
  private final List<WorkflowEvent> pending = new ArrayList<>();
  private final AtomicLong sequence;
  private final Set<Stoppable> active = ConcurrentHashMap.newKeySet();

  /** Attempts of this run abandoned by the engine whose threads still run. */
  final java.util.concurrent.atomic.AtomicInteger abandonedAttempts =
      new java.util.concurrent.atomic.AtomicInteger();

  /**
   * Set when the engine gave the run up while its thread was still busy (a close past its grace):
   * that thread's later commits are refused, so the run stays as it was left.
   */
  private volatile boolean givenUp;

  private volatile Thread runThread;
  private volatile AttemptGuard runThreadGuard;
  private volatile Stoppable runThreadAttempt;
  // Volatile: status() reads it without the lock, to show an end only once it is stored.
  private volatile RunRecord record;

  /** Whether a nested step (sub-workflow, per-item workflow) added outcomes. */
  private boolean nested;

  private volatile long lastCommitNanos = System.nanoTime();

  /**
   * Whether the run is not in the store yet: its first commit creates it, with its start, in one
   * write (see {@link #createWithFirstCommit}).
   */
  private boolean uncreated;

  volatile boolean cancelled;

  /** A cancel asked to roll the completed steps back, whatever the run's rollback option. */
  volatile boolean rollbackOnCancel;

  /** What wakes the run early when it waits between polls holding no thread; null otherwise. */
  private volatile Runnable wake;

  /** What the run's attribute sources took from the thread that asked for it. */
  volatile CallerContext caller = CallerContext.NONE;

  volatile boolean runTimedOut;
  volatile RunState state = RunState.PENDING;
  volatile String currentStep;
  volatile String currentSubTask;
  volatile int stepProgress;
  volatile int stepsDone;

  RunScope(
      RunRecord record,
      Workflow workflow,
      RunOptions options,
      EngineServices services,
      Set<String> secretInputs,
      long lastSequence) {
    this.runId = record.runId();
    this.record = record;
    this.workflow = workflow;
    this.options = options;
    this.services = services;
    this.secretInputs = secretInputs;
    this.startedAt = record.createdAt();
    this.sequence = new AtomicLong(lastSequence);
    for (String name : workflow.stepNames()) {
      outcomes.put(name, StepOutcome.pending(name));
    }
  }

  // ---- context ----

  <T> T get(Key<T> key) {
    Object v = context.get(key.name());
    if (v == null || key.type().isInstance(v)) {
      return key.type().cast(v);
    }
    // Restored from a store as JSON-compatible values: convert once, keep the typed value.
    T typed = Json.mapper().convertValue(v, key.type());
    context.put(key.name(), typed);
    return typed;
  }

  void put(String name, Object value) {
    if (value == null) {
      context.remove(name);
    } else {
      context.put(name, value);
    }
  }

  void restoreContext(Map<String, Object> values) {
    context.putAll(values);
  }

  void output(String name, Object value) {
    if (value instanceof Secret) {
      throw new IllegalArgumentException(
          "output '" + name + "' is a secret: outputs are never secret");
    }
    synchronized (outputs) {
      outputs.put(name, value);
    }
  }

  Map<String, Object> outputs() {
    synchronized (outputs) {
      return outputs.isEmpty() ? Map.of() : new LinkedHashMap<>(outputs);
    }
  }

  void restoreOutputs(Map<String, Object> values) {
    synchronized (outputs) {
      outputs.putAll(values);
    }
  }

  // ---- outcomes ----

  synchronized StepOutcome outcome(String name) {
    return outcomes.get(name);
  }

  synchronized void setOutcome(StepOutcome outcome) {
    if (outcomes.put(outcome.name(), outcome) == null) {
      nested = true;
    }
  }

  /** Outcomes in order: each top-level step followed by the steps nested in it. */
  synchronized List<StepOutcome> outcomes() {
    if (!nested) {
      return List.copyOf(outcomes.values());
    }
    var top = workflow.stepNames();
    var list = new ArrayList<StepOutcome>(outcomes.size());
    for (String name : top) {
      list.add(outcomes.get(name));
      for (var e : outcomes.entrySet()) {
        String k = e.getKey();
        if (k.length() > name.length()
            && k.startsWith(name)
            && (k.charAt(name.length()) == '/' || k.charAt(name.length()) == '[')) {
          list.add(e.getValue());
        }
      }
    }
    return list;
  }

  // ---- events ----

  /** Creates an event with the next sequence number and the clock's time, and delivers it. */
  void emit(java.util.function.BiFunction<Long, Instant, WorkflowEvent> factory) {
    emitAt(services.clock().instant(), factory);
  }

  /** Like {@link #emit}, stamped with a time the caller already read from the clock. */
  void emitAt(Instant at, java.util.function.BiFunction<Long, Instant, WorkflowEvent> factory) {
    WorkflowEvent event;
    synchronized (pending) {
      event = factory.apply(sequence.incrementAndGet(), at);
      pending.add(event);
    }
    for (WorkflowListener l : services.listeners()) {
      try {
        l.onEvent(event);
      } catch (RuntimeException | LinkageError e) {
        LOG.warn(
            "listener {} threw on {} of run {}; the run goes on",
            l.getClass().getName(),
            event.getClass().getSimpleName(),
            runId,
            e);
      }
    }
  }

  /** The run's attributes as they will be stored. */
  synchronized Map<String, String> attributes() {
    return record.attributes();
  }

  /** Adds or replaces attributes; they are stored with the next commit. */
  synchronized void putAttributes(Map<String, String> more) {
    var merged = new LinkedHashMap<>(record.attributes());
    merged.putAll(more);
    record = record.withAttributes(merged);
  }

  /** Stores the run's state with the events since the last commit, renewing the lease. */
  /** When the run was last committed, by {@link System#nanoTime()}. */
  long lastCommitNanos() {
    return lastCommitNanos;
  }

  synchronized void commit(WorkflowResult result) {
    commit(result, true);
  }

  /**
   * Stores the run as {@link #commit} does, leaving it to the run's next commit to make the change
   * durable ({@link dev.opsflow.workflow.spi.ExecutionStore#commitUnsynced}): for the run's start,
   * which its first step's commit (or a lease renewal) follows.
   */
  synchronized void commitUnsynced() {
    commit(null, false);
  }

  /**
   * Leaves the run's creation to its first commit, which is its start (one write instead of two):
   * only for a run nobody can see before it ends, that is {@code engine.run}'s without an
   * idempotency key or a run id of the caller's (see Runs.start). A store that fails that write
   * fails the run, and {@code engine.run} throws its error, as when the creation failed before.
   */
  synchronized void createWithFirstCommit() {
    uncreated = true;
  }

  private void commit(WorkflowResult result, boolean sync) {
    if (givenUp) {
      return;
    }
    lastCommitNanos = System.nanoTime();
    List<WorkflowEvent> events;
    synchronized (pending) {
      events = List.copyOf(pending);
      pending.clear();
    }
    Instant now = services.clock().instant();
    RunRecord next = record.withProgress(state, outcomes(), snapshot(), outputs(), result, now);
    if (next.owner() != null) {
      next =
          next.withLease(
              result == null ? next.owner() : null,
              result == null ? now.plus(services.lease()) : null);
    }
    if (uncreated) {
      record = create(next, events, sync);
      uncreated = false;
      return;
    }
    record =
        sync
            ? services.store().commit(next, events)
            : services.store().commitUnsynced(next, events);
  }

  /** The run's first commit when it is not in the store yet: its creation. */
  private RunRecord create(RunRecord next, List<WorkflowEvent> events, boolean sync) {
    ExecutionStore.Created created;
    if (sync) {
      // Only when the first commit is not the start (the engine gave the run up first): rare.
      created = services.store().create(next);
      if (created.created() && !events.isEmpty()) {
        return services.store().commit(created.run(), events);
      }
    } else {
      created = services.store().createUnsynced(next, events);
    }
    if (!created.created()) {
      throw new StoreException("run " + runId + " already exists in the store", null);
    }
    return created.run();
  }

  /**
   * Stores the run as it is, renewing its lease, while a step runs (the engine's heartbeat). Does
   * nothing once the run has ended.
   *
   * @throws dev.opsflow.workflow.spi.StaleRunException when another engine took the run
   */
  synchronized void renewLease() {
    if (!state.isFinished() && record.owner() != null) {
      commit(null);
    }
  }

  private Map<String, Object> snapshot() {
    if (context.isEmpty()) {
      return Map.of();
    }
    var snap = new LinkedHashMap<String, Object>(context.size());
    for (var e : context.entrySet()) {
      if (!(e.getValue() instanceof Secret) && !secretInputs.contains(e.getKey())) {
        snap.put(e.getKey(), e.getValue());
      }
    }
    return snap;
  }

  // ---- cancellation ----

  /** Marks the calling thread as the one executing the run's steps in order. */
  void bindRunThread() {
    runThread = Thread.currentThread();
  }

  /**
   * Makes {@code guard} reachable by {@link #cancel}. The run's own thread keeps its guards in a
   * field (nested ones chained), other threads (parallel items) in a set: the common case costs no
   * concurrent-map operation.
   */
  void register(Stoppable stoppable) {
    if (stoppable instanceof AttemptGuard guard && guard.thread() == runThread) {
      guard.previous = runThreadGuard;
      runThreadGuard = guard;
    } else if ((stoppable instanceof OffThreadAttempt || stoppable instanceof InlineAttempt)
        && Thread.currentThread() == runThread) {
      runThreadAttempt = stoppable; // the run's thread runs or waits for one attempt at a time
    } else {
      active.add(stoppable);
    }
    if (cancelled) {
      stoppable.fire(AttemptGuard.Reason.CANCEL);
    }
  }

  void unregister(Stoppable stoppable) {
    if (stoppable instanceof AttemptGuard guard && guard.thread() == runThread) {
      runThreadGuard = guard.previous;
    } else if (stoppable == runThreadAttempt) {
      runThreadAttempt = null;
    } else {
      active.remove(stoppable);
    }
  }

  /** How long an attempt may take to stop after a cancel: the run's option, else the engine's. */
  java.time.Duration cancelGrace() {
    return options.cancelGrace() != null
        ? options.cancelGrace()
        : services.attempts().cancelGrace();
  }

  /**
   * Sets what wakes the run, waiting without a thread, when it is cancelled; wakes it at once if it
   * already was. Null clears it.
   */
  void wakeOnCancel(Runnable wakeUp) {
    wake = wakeUp;
    if (wakeUp != null && cancelled) {
      wakeUp.run();
    }
  }

  void cancel(boolean becauseOfTimeout) {
    if (becauseOfTimeout) {
      runTimedOut = true;
    }
    cancelled = true;
    Runnable waiting = wake;
    if (waiting != null) {
      waiting.run();
    }
    AttemptGuard own = runThreadGuard;
    if (own != null) {
      own.fire(AttemptGuard.Reason.CANCEL);
    }
    Stoppable attempt = runThreadAttempt;
    if (attempt != null) {
      attempt.fire(AttemptGuard.Reason.CANCEL);
    }
    for (Stoppable s : active) {
      s.fire(AttemptGuard.Reason.CANCEL);
    }
  }

  // ---- status ----

  RunStatus status() {
    int total = workflow.nodes().size();
    int done = stepsDone;
    int percent;
    // The run's end is set just before its last commit: until that commit is stored, the run is
    // still running to anyone who asks, so a status that says it ended can be acted on (resumed,
    // read from the store) at once.
    RunState state = this.state;
    if (state.isFinished() && !record.state().isFinished()) {
      state = RunState.RUNNING;
    }
    if (state.isFinished()) {
      percent = state == RunState.COMPLETED ? 100 : (int) (100.0 * done / total);
    } else {
      percent = (int) Math.min(100, (100.0 * done + stepProgress) / total);
    }
    return new RunStatus(
        runId,
        workflow.name(),
        state,
        percent,
        currentStep,
        currentSubTask,
        done,
        total,
        abandonedAttempts.get(),
        startedAt,
        services.clock().instant());
  }

  /** The run's result as it ends now in {@code end}, with its outputs and steps as they are. */
  WorkflowResult endResult(RunState end, String message, dev.opsflow.workflow.ErrorInfo error) {
    return new WorkflowResult(
        runId,
        workflow.name(),
        workflow.version(),
        end == RunState.COMPLETED,
        end,
        message,
        outputs(),
        outcomes(),
        error,
        options.dryRun(),
        startedAt,
        services.clock().instant());
  }

  /**
   * Gives the run up while its thread is still busy (the engine closes): on a durable store it is
   * left unfinished with its lease ended, so another engine's {@code recover()} resumes it at once;
   * in memory, where nothing could resume it, it ends CANCELLED. Returns the CANCELLED result, or
   * null for a run left for recovery. Later commits of the run's thread are refused.
   */
  synchronized WorkflowResult giveUp(String why) {
    if (givenUp) {
      return null;
    }
    WorkflowResult result = null;
    if (services.store().durable()) {
      commit(null);
      if (record.owner() != null) {
        // A lease that ended long ago: any engine's recover() takes it, whatever its clock says.
        record =
            services.store().commit(record.withLease(record.owner(), Instant.EPOCH), List.of());
      }
    } else {
      StepOutcome running = currentStep == null ? null : outcome(currentStep);
      if (running != null && !running.status().isDone()) {
        setOutcome(running.withStatus(dev.opsflow.workflow.StepStatus.CANCELLED).withError(why));
      }
      state = RunState.CANCELLED;
      String message = "Workflow '" + workflow.name() + "' was cancelled: " + why;
      emit((seq, ts) -> new WorkflowEvent.RunFinished(runId, seq, ts, RunState.CANCELLED, message));
      result =
          endResult(
              RunState.CANCELLED,
              message,
              dev.opsflow.workflow.ErrorInfo.of(
                  new dev.opsflow.workflow.CancelledException(why), currentStep, currentSubTask));
      commit(result);
    }
    givenUp = true;
    return result;
  }

  boolean isDone(String stepName) {
    StepOutcome o = outcome(stepName);
    return o != null && o.status().isDone();
  }
}
