package dev.opsflow.workflow;

import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.event.WorkflowListener;
import dev.opsflow.workflow.internal.AttemptThreads;
import dev.opsflow.workflow.internal.CallerContext;
import dev.opsflow.workflow.internal.DefaultExecutors;
import dev.opsflow.workflow.internal.EngineServices;
import dev.opsflow.workflow.internal.Runs;
import dev.opsflow.workflow.internal.Scheduler;
import dev.opsflow.workflow.spi.ExecutionStore;
import dev.opsflow.workflow.spi.RunQuery;
import dev.opsflow.workflow.spi.RunRecord;
import dev.opsflow.workflow.spi.SecretResolver;
import dev.opsflow.workflow.spi.Sleeper;
import dev.opsflow.workflow.store.InMemoryExecutionStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;

/**
 * Runs workflows. Built once per application with a store, an executor, listeners, a clock and a
 * sleeper; thread-safe; close it on shutdown.
 *
 * <pre>{@code
 * try (var engine = WorkflowEngine.builder().build()) {
 *   WorkflowResult result = engine.run(workflow, Map.of("host", "10.0.0.5"));
 * }
 * }</pre>
 *
 * <p>Inputs are validated before anything runs ({@link ValidationException}). A run with an
 * idempotency key executes once: a key whose run completed (or is running) gives that run's result.
 */
public final class WorkflowEngine implements AutoCloseable {
  private final EngineServices services;
  private final SecretResolver secrets;
  private final ExecutorService ownedExecutor;
  private final Runs runs;

  private WorkflowEngine(Builder b) {
    this.ownedExecutor = b.executor == null ? DefaultExecutors.create() : null;
    var watchdog =
        new java.util.concurrent.ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "opsflow-watchdog");
              t.setDaemon(true);
              return t;
            });
    // Every step with a timeout arms a task and cancels it when the step returns: cancelled tasks
    // leave the queue at once, so long timeouts do not pile up there.
    watchdog.setRemoveOnCancelPolicy(true);
    this.services =
        new EngineServices(
            b.store,
            b.executor == null ? ownedExecutor : b.executor,
            watchdog,
            b.clock,
            b.sleeper,
            List.copyOf(b.listeners),
            b.owner,
            b.lease,
            new AttemptThreads(b.maxAbandonedAttempts, b.cancelGrace, b.timeoutGrace));
    this.secrets = b.secrets;
    this.runs = new Runs(services, b.secrets);
  }

  /**
   * A builder with the defaults: in-memory store, default executor, system clock and sleeper.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs {@code workflow} and waits for its result.
   *
   * @param workflow the workflow to run
   * @param inputs the inputs by name, checked against the workflow's declared inputs
   * @return how the run ended; a failed run is a result, not an exception
   * @throws ValidationException if an input is missing or bad; nothing ran
   */
  public WorkflowResult run(Workflow workflow, Map<String, ?> inputs) {
    return run(workflow, inputs, RunOptions.defaults());
  }

  /**
   * Runs {@code workflow} with {@code options} and returns its result. The run executes on one of
   * the engine's threads (with a host's executor, on the calling thread) while the caller waits, so
   * the caller gets the result within a step's timeout and grace even when the step ignores
   * interrupts. {@link #cancel(String)} from another thread, or an interrupt of the calling thread,
   * cancels the run and interrupts the running step.
   *
   * @param workflow the workflow to run
   * @param inputs the inputs by name, checked against the workflow's declared inputs
   * @param options the idempotency key, dry run, rollback and time limit of the run
   * @return how the run ended; a failed run is a result, not an exception
   * @throws ValidationException if an input is missing or bad; nothing ran
   */
  public WorkflowResult run(Workflow workflow, Map<String, ?> inputs, RunOptions options) {
    Objects.requireNonNull(workflow, "workflow must not be null");
    Objects.requireNonNull(inputs, "inputs must not be null");
    Objects.requireNonNull(options, "options must not be null");
    return runs.run(workflow, inputs, options);
  }

  /**
   * Starts {@code workflow} and returns at once with a handle.
   *
   * @param workflow the workflow to start
   * @param inputs the inputs by name, checked against the workflow's declared inputs
   * @param options the idempotency key, dry run, rollback and time limit of the run
   * @return a handle to await, watch or cancel the run
   * @throws ValidationException if an input is missing or bad; nothing ran
   */
  public WorkflowRun start(Workflow workflow, Map<String, ?> inputs, RunOptions options) {
    Objects.requireNonNull(workflow, "workflow must not be null");
    Objects.requireNonNull(inputs, "inputs must not be null");
    Objects.requireNonNull(options, "options must not be null");
    return runs.start(workflow, inputs, options, false);
  }

  /**
   * Starts {@code workflow} with default options.
   *
   * @param workflow the workflow to start
   * @param inputs the inputs by name, checked against the workflow's declared inputs
   * @return a handle to await, watch or cancel the run
   */
  public WorkflowRun start(Workflow workflow, Map<String, ?> inputs) {
    return start(workflow, inputs, RunOptions.defaults());
  }

  /**
   * Continues the stored run {@code runId} from its first step that did not complete, with its
   * context restored and its secrets given again by the engine's {@link SecretResolver}.
   *
   * @param runId the id of the stored run
   * @param workflow the run's workflow, as it is now defined
   * @return a handle to await, watch or cancel the resumed run
   * @throws ValidationException if the run is unknown, finished, held by a live engine, or the
   *     definition changed incompatibly (the message says what changed)
   */
  public WorkflowRun resume(String runId, Workflow workflow) {
    return runs.resume(runId, workflow);
  }

  /**
   * Resumes every unfinished run whose owner's lease expired, for the workflows given by name. Runs
   * claimed by another engine are left alone. Returns the handles of the runs this engine took.
   *
   * @param workflowsByName the definitions of the workflows that may be recovered, by workflow name
   * @return the handles of the runs this engine took, possibly none
   */
  public List<WorkflowRun> recover(Map<String, Workflow> workflowsByName) {
    return runs.recover(workflowsByName);
  }

  /**
   * The live status of a run started here, or the stored state of any other stored run.
   *
   * @param runId a run's id
   * @return its status, or empty when no store or engine knows the run
   */
  public Optional<RunStatus> status(String runId) {
    return runs.status(runId);
  }

  /**
   * Cancels a run this engine is executing; returns whether it was running here.
   *
   * @param runId the id of a run executing here
   * @return true if the run was executing here and is now cancelled; false otherwise
   */
  public boolean cancel(String runId) {
    return runs.cancel(runId);
  }

  /**
   * Cancels a run this engine is executing and runs the compensations of its completed steps,
   * whatever its own rollback option: it ends ROLLED_BACK (CANCELLED, naming them, if a
   * compensation fails; CANCELLED if no step needs undoing). Returns whether it was running here.
   * For a run executing in another process: {@code store().requestCancel(runId, now, true)}.
   *
   * @param runId the run to cancel and roll back
   * @return whether this engine was executing the run (false: it had ended, or runs elsewhere)
   */
  public boolean cancelAndRollBack(String runId) {
    return runs.cancelAndRollBack(runId);
  }

  /**
   * Stored runs matching {@code query}, newest first (the audit trail).
   *
   * @param query which runs, how many and from where
   * @return the matching runs, newest first
   */
  public List<RunRecord> history(RunQuery query) {
    return services.store().query(query);
  }

  /**
   * The event journal of a stored run.
   *
   * @param runId a stored run's id
   * @return its events, in order; empty for an unknown run
   */
  public List<WorkflowEvent> events(String runId) {
    return services.store().events(runId);
  }

  /**
   * Deletes finished runs older than {@code age}; returns how many.
   *
   * @param age how long ago a run must have ended to be deleted
   * @return how many runs were deleted
   */
  public int deleteFinishedOlderThan(Duration age) {
    Instant cutoff = services.clock().instant().minus(age);
    return services.store().deleteFinishedBefore(cutoff);
  }

  /**
   * The store this engine uses.
   *
   * @return the store given to the builder, or the in-memory one
   */
  public ExecutionStore store() {
    return services.store();
  }

  /**
   * The clock this engine stamps runs and events with.
   *
   * @return the clock given to the builder, or the system clock
   */
  public Clock clock() {
    return services.clock();
  }

  /**
   * The threads this engine runs on, shared by runs, parallel groups and batches ({@link
   * dev.opsflow.workflow.batch.Batch} reserves room for its parallelism there). Not part of the
   * stable API.
   *
   * @return the engine's scheduler over its executor
   */
  public Scheduler scheduler() {
    return Scheduler.of(services.executor());
  }

  /**
   * What this engine's {@link dev.opsflow.workflow.event.RunAttributeSource}s take from the calling
   * thread for the runs it asks for ({@link dev.opsflow.workflow.batch.Batch} takes it as it
   * starts, for all its items). Not part of the stable API.
   *
   * @return the calling thread's context, as each source took it
   */
  public CallerContext callerContext() {
    return CallerContext.capture(services.listeners());
  }

  /**
   * This engine's owner id in the store's leases.
   *
   * @return the id this engine claims runs with
   */
  public String ownerId() {
    return services.owner();
  }

  /**
   * Step attempts that this engine abandoned (they went past their timeout or a cancel and did not
   * stop within their grace) and whose threads still run. See {@link Builder#maxAbandonedAttempts}.
   *
   * @return how many abandoned attempts still run now
   */
  public int abandonedAttempts() {
    return services.attempts().abandoned();
  }

  /** {@link #close(Duration)} with a grace of 10 seconds. */
  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }

  /**
   * Cancels the runs executing here (they end CANCELLED, after their compensations when rollback is
   * on), waits up to {@code grace} for them to end, then stops the engine's own threads. A run
   * still busy after the grace (a step that ignores interrupts, a compensation that hangs) is given
   * up: on a durable store it is left unfinished with its lease ended, so {@link #recover} on
   * another engine resumes it at once, running its unfinished step again; in memory it ends
   * CANCELLED. Returns within about {@code grace}, whatever the steps do. The store the engine was
   * given is not closed: its caller owns it, and may share it with other engines (close a {@link
   * dev.opsflow.workflow.store.FileExecutionStore} after its engines).
   *
   * @param grace how long to wait for the runs to end
   * @throws IllegalArgumentException if {@code grace} is negative
   */
  public void close(Duration grace) {
    if (grace == null || grace.isNegative()) {
      throw new IllegalArgumentException("grace must be >= 0, was " + grace);
    }
    runs.closeAll(grace);
    services.watchdog().shutdownNow();
    services.attempts().shutdown();
    if (ownedExecutor != null) {
      ownedExecutor.shutdownNow();
    }
  }

  SecretResolver secretResolver() {
    return secrets;
  }

  /** Builds a {@link WorkflowEngine}. Not thread-safe. */
  public static final class Builder {
    private ExecutionStore store = new InMemoryExecutionStore();
    private java.util.concurrent.Executor executor;
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.system();
    private final List<WorkflowListener> listeners = new ArrayList<>();
    private SecretResolver secrets = SecretResolver.none();
    private String owner = "engine-" + UUID.randomUUID();
    private Duration lease = Duration.ofSeconds(30);
    private Duration cancelGrace = Duration.ofSeconds(5);
    private Duration timeoutGrace = Duration.ofMillis(100);
    private int maxAbandonedAttempts = 100;

    private Builder() {}

    /**
     * How long a running step may take to stop after its run is cancelled (default 5 s): its thread
     * is interrupted at once, and a step that has not returned by then is abandoned, so the run
     * ends CANCELLED (or ROLLED_BACK) within this grace whatever the step does. A run may set its
     * own ({@link RunOptions#withCancelGrace}).
     *
     * @param d the grace, not negative
     * @return this builder
     */
    public Builder cancelGrace(Duration d) {
      if (d == null || d.isNegative()) {
        throw new IllegalArgumentException("cancelGrace must be >= 0, was " + d);
      }
      this.cancelGrace = d;
      return this;
    }

    /**
     * How long a step may take to stop after its own timeout or its run's (default 100 ms) before
     * it is abandoned and the attempt ends as TIMEOUT.
     *
     * @param d the grace, not negative
     * @return this builder
     */
    public Builder timeoutGrace(Duration d) {
      if (d == null || d.isNegative()) {
        throw new IllegalArgumentException("timeoutGrace must be >= 0, was " + d);
      }
      this.timeoutGrace = d;
      return this;
    }

    /**
     * How many abandoned attempts may still run before a new attempt fails instead of starting
     * (default 100): a step that ignores interrupts must not leak threads without limit.
     *
     * @param max the most abandoned attempts, at least 1
     * @return this builder
     */
    public Builder maxAbandonedAttempts(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxAbandonedAttempts must be >= 1, was " + max);
      }
      this.maxAbandonedAttempts = max;
      return this;
    }

    /**
     * Where runs are kept (default: in memory).
     *
     * @param s the store runs are kept in
     * @return this builder
     */
    public Builder store(ExecutionStore s) {
      this.store = Objects.requireNonNull(s, "store must not be null");
      return this;
    }

    /**
     * The host's executor for runs and parallel items; the engine will not shut it down.
     *
     * @param e the executor runs and parallel items execute on
     * @return this builder
     */
    public Builder executor(java.util.concurrent.Executor e) {
      this.executor = Objects.requireNonNull(e, "executor must not be null");
      return this;
    }

    /**
     * The clock for every timestamp and deadline (tests: a ManualClock).
     *
     * @param c the clock
     * @return this builder
     */
    public Builder clock(Clock c) {
      this.clock = Objects.requireNonNull(c, "clock must not be null");
      return this;
    }

    /**
     * The sleeper for every wait (tests: a ManualClock).
     *
     * @param s the sleeper
     * @return this builder
     */
    public Builder sleeper(Sleeper s) {
      this.sleeper = Objects.requireNonNull(s, "sleeper must not be null");
      return this;
    }

    /**
     * Adds a listener for every run's events.
     *
     * @param l the listener, called for the events of every run
     * @return this builder
     */
    public Builder listener(WorkflowListener l) {
      listeners.add(Objects.requireNonNull(l, "listener must not be null"));
      return this;
    }

    /**
     * Gives resumed runs their secret inputs again.
     *
     * @param r the resolver asked for the secret inputs of resumed runs
     * @return this builder
     */
    public Builder secretResolver(SecretResolver r) {
      this.secrets = Objects.requireNonNull(r, "secretResolver must not be null");
      return this;
    }

    /**
     * This engine's name in the store's leases (default: random).
     *
     * @param id the owner id, unique among the engines that share a store
     * @return this builder
     */
    public Builder ownerId(String id) {
      if (id == null || id.isBlank()) {
        throw new IllegalArgumentException("ownerId must not be blank");
      }
      this.owner = id;
      return this;
    }

    /**
     * How long a lease on a run lasts without a commit (default 30 s).
     *
     * @param d the lease, positive; the engine renews it well before it runs out
     * @return this builder
     */
    public Builder lease(Duration d) {
      if (d == null || d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException("lease must be > 0, was " + d);
      }
      this.lease = d;
      return this;
    }

    /**
     * The engine.
     *
     * @return the engine, ready to run workflows; close it when done
     */
    public WorkflowEngine build() {
      return new WorkflowEngine(this);
    }
  }
}
