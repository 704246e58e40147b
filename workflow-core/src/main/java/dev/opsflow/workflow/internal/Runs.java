package dev.opsflow.workflow.internal;

import dev.opsflow.workflow.Input;
import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.RunStatus;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.StepOutcome;
import dev.opsflow.workflow.StepStatus;
import dev.opsflow.workflow.ValidationException;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.WorkflowRun;
import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.spi.RunRecord;
import dev.opsflow.workflow.spi.SecretResolver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The engine's bookkeeping of runs: starting, idempotency, resuming, recovering, status. */
public final class Runs {
  private static final Logger LOG = LoggerFactory.getLogger("dev.opsflow.workflow.engine");
  private static final Duration REMOTE_POLL = Duration.ofMillis(250);

  private final EngineServices services;
  private final SecretResolver secrets;
  private final Map<String, RunHandle> active = new ConcurrentHashMap<>();
  private final Map<String, RunScope> scopes = new ConcurrentHashMap<>();
  private final Map<String, RunHandle> inflightKeys = new ConcurrentHashMap<>();

  /**
   * Where runs execute so that their steps run inline: the engine's own platform threads (the JDK
   * 17 pool, or on JDK 21+ the attempt threads: a step that spins must not pin a virtual thread's
   * carrier). Null with a host's executor: runs execute there, each attempt on a thread of its own.
   */
  private final java.util.concurrent.Executor runThreads;

  public Runs(EngineServices services, SecretResolver secrets) {
    this.services = services;
    this.secrets = secrets;
    java.util.concurrent.Executor executor = services.executor();
    this.runThreads =
        executor instanceof DefaultExecutors.Pool
            ? executor
            : executor instanceof DefaultExecutors.VirtualThreads
                ? services.attempts().executor()
                : null;
    long beat = services.lease().dividedBy(6).toNanos();
    services.watchdog().scheduleWithFixedDelay(this::heartbeat, beat, beat, TimeUnit.NANOSECONDS);
  }

  /**
   * Starts a run. With {@code inline}, the caller is about to wait for it (the synchronous {@code
   * engine.run}): see {@link #run}.
   */
  public WorkflowRun start(
      Workflow workflow, Map<String, ?> given, RunOptions options, boolean inline) {
    Map<String, Object> inputs = InputBinder.bind(workflow, given);
    RunAttributes.requireAuditTrail(workflow, services.store());
    String runId = options.runId() != null ? options.runId() : newRunId();
    Instant now = services.clock().instant();
    var record =
        new RunRecord(
            runId,
            workflow.name(),
            workflow.version(),
            workflow.stepNames(),
            options.idempotencyKey(),
            RunState.PENDING,
            options.dryRun(),
            options.rollbackOnFailure(),
            options.timeout(),
            storable(workflow, inputs),
            Map.of(),
            Map.of(),
            workflow.stepNames().stream().map(StepOutcome::pending).toList(),
            null,
            services.owner(),
            now.plus(services.lease()),
            now,
            now,
            0,
            RunAttributes.initial(workflow));
    String key = options.idempotencyKey();
    if (key == null) {
      return launch(
          services.store().createUnsynced(record).run(),
          workflow,
          options,
          inputs,
          false,
          0,
          inline);
    }
    RunHandle[] out = new RunHandle[1];
    Runnable[] execution = new Runnable[1];
    inflightKeys.compute(
        key,
        (k, running) -> {
          if (running != null && !running.isDone()) {
            out[0] = running;
            return running;
          }
          var created = services.store().createUnsynced(record);
          if (created.created()) {
            // Never execute inside compute(): it holds the map's lock for this key.
            var prepared = prepare(created.run(), workflow, options, inputs, false, 0);
            out[0] = prepared.handle();
            execution[0] = () -> prepared.launch(inline);
          } else {
            out[0] = existing(created.run(), workflow, inputs);
          }
          return out[0];
        });
    if (execution[0] != null) {
      execution[0].run();
    }
    return out[0];
  }

  /**
   * Runs a workflow and waits for its result: {@code engine.run}. The run executes on one of the
   * engine's threads while the caller waits (one hand-off per run; its steps run inline there), so
   * the caller gets the result when the run ends even if a step never returns. Interrupting the
   * caller cancels the run; the interrupt is consumed and the caller gets the cancelled result.
   */
  public WorkflowResult run(Workflow workflow, Map<String, ?> given, RunOptions options) {
    WorkflowRun run = start(workflow, given, options, true);
    return run instanceof RunHandle own ? own.awaitCancellingOnInterrupt() : run.await();
  }

  /**
   * A random version-4 UUID. Run ids need to be unique, not secret: {@link UUID#randomUUID()}'s
   * SecureRandom would cost more than a whole step.
   */
  private static String newRunId() {
    var random = java.util.concurrent.ThreadLocalRandom.current();
    long hi = (random.nextLong() & ~0xF000L) | 0x4000L;
    long lo = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(hi, lo).toString();
  }

  /** A handle on a run that holds an idempotency key already. */
  private RunHandle existing(RunRecord run, Workflow workflow, Map<String, Object> inputs) {
    LOG.info(
        "idempotency key '{}' is held by run {} ({}): not executing again",
        run.idempotencyKey(),
        run.runId(),
        run.state());
    if (run.state().isFinished() && run.result() != null) {
      return RunHandle.finished(run.result(), () -> fromRecord(run));
    }
    RunHandle local = active.get(run.runId());
    if (local != null) {
      return local;
    }
    // Another engine runs it: follow the store until it ends, or take it over if its owner died.
    var handle =
        new RunHandle(run.runId(), () -> status(run.runId()).orElse(fromRecord(run)), () -> {});
    services.executor().execute(() -> followRemote(run.runId(), workflow, handle));
    return handle;
  }

  private void followRemote(String runId, Workflow workflow, RunHandle handle) {
    try {
      while (true) {
        RunRecord r =
            services
                .store()
                .find(runId)
                .orElseThrow(
                    () ->
                        new ValidationException(
                            "run " + runId + " disappeared from the store while being awaited"));
        if (r.state().isFinished() && r.result() != null) {
          handle.complete(r.result());
          return;
        }
        Instant now = services.clock().instant();
        if (r.leaseUntil() != null && r.leaseUntil().isBefore(now)) {
          var taken = resumeOrEmpty(runId, workflow);
          if (taken.isPresent()) {
            handle.complete(taken.get().await());
            return;
          }
        }
        services.sleeper().sleep(REMOTE_POLL);
      }
    } catch (Throwable t) {
      handle.fail(t);
    }
  }

  public WorkflowRun resume(String runId, Workflow workflow) {
    RunRecord record =
        services
            .store()
            .find(runId)
            .orElseThrow(
                () ->
                    new ValidationException(
                        "unknown run id '"
                            + runId
                            + "': no such run in the store; list runs with "
                            + "engine.history(RunQuery.all())"));
    checkCompatible(record, workflow);
    RunAttributes.requireAuditTrail(workflow, services.store());
    RunHandle running = active.get(runId);
    if (running != null && !running.isDone() && record.state().isFinished()) {
      // Its end is stored: the execution only has its handle left to complete.
      running.awaitDone(Duration.ofSeconds(10));
    }
    if (running != null && !running.isDone()) {
      // This engine holds the lease, so the store would let it claim the run a second time.
      throw new ValidationException(
          "run "
              + runId
              + " is executing in this engine now: await its WorkflowRun (engine.run or start"
              + " returned it) instead of resuming it");
    }
    if (record.state().isFinished()) {
      reopen(record);
    }
    return resumeOrEmpty(runId, workflow)
        .orElseThrow(
            () -> {
              RunRecord now = services.store().find(runId).orElse(record);
              return new ValidationException(
                  "run "
                      + runId
                      + " is held by engine '"
                      + now.owner()
                      + "' until "
                      + now.leaseUntil()
                      + "; it can be resumed when that lease expires");
            });
  }

  /**
   * Makes a run that ended PARTIAL, FAILED or CANCELLED unfinished again, held by this engine, so
   * it continues from its first step that did not complete. The optimistic commit makes this safe
   * against another engine reopening it at the same time.
   */
  private void reopen(RunRecord record) {
    RunState s = record.state();
    if (s != RunState.PARTIAL && s != RunState.FAILED && s != RunState.CANCELLED) {
      throw new ValidationException(
          "run "
              + record.runId()
              + " already ended "
              + s
              + "; only an unfinished, PARTIAL, FAILED or CANCELLED run can be resumed"
              + (s == RunState.ROLLED_BACK ? " (its work was rolled back: start a new run)" : ""));
    }
    // A cancel asked of its earlier execution must not stop the new one.
    services.store().withdrawCancelRequest(record.runId());
    Instant now = services.clock().instant();
    var open =
        record
            .withProgress(
                RunState.RUNNING, record.steps(), record.context(), record.outputs(), null, now)
            .withLease(services.owner(), now.plus(services.lease()));
    try {
      services.store().commit(open, List.of());
    } catch (dev.opsflow.workflow.spi.StaleRunException e) {
      throw new ValidationException(
          "run " + record.runId() + " is being resumed by another engine at this moment");
    }
  }

  /**
   * Asks every run executing here to stop, as {@link WorkflowRun#cancel()} does, waits up to {@code
   * grace} for them to end, and gives up the ones still busy then (see {@link RunScope#giveUp}).
   */
  public void closeAll(Duration grace) {
    for (RunScope scope : scopes.values()) {
      scope.cancel(false);
    }
    long deadline = System.nanoTime() + grace.toNanos();
    boolean interrupted = false;
    for (RunHandle handle : active.values()) {
      long left = Math.max(0, deadline - System.nanoTime());
      try {
        handle.future().get(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        interrupted = true;
        break;
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        // Ended badly, or still busy: given up below.
      }
    }
    for (var e : active.entrySet()) {
      RunHandle handle = e.getValue();
      RunScope scope = scopes.get(e.getKey());
      if (handle.isDone() || scope == null) {
        continue;
      }
      String why =
          "the engine closed and step '"
              + scope.currentStep
              + "' was still running "
              + grace.toMillis()
              + " ms after the cancel";
      try {
        WorkflowResult ended = scope.giveUp(why);
        if (ended != null) {
          handle.complete(ended);
        } else {
          handle.fail(
              new dev.opsflow.workflow.CancelledException(
                  "run "
                      + scope.runId
                      + " was left unfinished in the store: "
                      + why
                      + "; recover() or resume() on an engine with this store continues it, running"
                      + " that step again"));
        }
        LOG.warn("run {} given up: {}", scope.runId, why);
      } catch (RuntimeException failed) {
        LOG.error("run {} could not be given up at close: {}", scope.runId, failed.toString());
        handle.fail(failed);
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private Optional<WorkflowRun> resumeOrEmpty(String runId, Workflow workflow) {
    // Check everything before taking the lease, so a resume that cannot start holds nothing.
    RunRecord stored =
        services
            .store()
            .find(runId)
            .orElseThrow(
                () ->
                    new ValidationException(
                        "unknown run id '" + runId + "': no such run in the store"));
    checkCompatible(stored, workflow);
    Map<String, Object> inputs = resumedInputs(stored, workflow);
    Instant now = services.clock().instant();
    var claimed = services.store().claim(runId, services.owner(), now, services.lease());
    if (claimed.isEmpty()) {
      return Optional.empty();
    }
    RunRecord record = claimed.get();
    var options =
        new RunOptions(
            record.idempotencyKey(),
            record.dryRun(),
            record.rollbackOnFailure(),
            record.timeout(),
            runId);
    long lastSeq =
        services.store().events(runId).stream().mapToLong(WorkflowEvent::sequence).max().orElse(0);
    return Optional.of(launch(record, workflow, options, inputs, true, lastSeq, false));
  }

  /** The stored inputs with the secrets the host's resolver gives again, bound to their types. */
  private Map<String, Object> resumedInputs(RunRecord record, Workflow workflow) {
    var given = new LinkedHashMap<String, Object>(record.inputs());
    var secretNames = new ArrayList<String>();
    for (Input<?> input : workflow.inputs().values()) {
      if (input.secret()) {
        secretNames.add(input.name());
        secrets
            .resolve(workflow.name(), record.runId(), input.name())
            .ifPresent(s -> given.put(input.name(), s));
      }
    }
    try {
      return InputBinder.bind(workflow, given);
    } catch (ValidationException e) {
      var problems = new ArrayList<>(e.problems());
      boolean secretMissing =
          problems.stream()
              .anyMatch(p -> secretNames.stream().anyMatch(n -> p.contains("'" + n + "'")));
      if (secretMissing) {
        problems.add(
            "run "
                + record.runId()
                + " is being resumed: secrets are never stored, so"
                + " the engine's SecretResolver must supply them");
      }
      throw new ValidationException(problems);
    }
  }

  private static void checkCompatible(RunRecord record, Workflow workflow) {
    if (!record.workflow().equals(workflow.name())) {
      throw new ValidationException(
          "run "
              + record.runId()
              + " is of workflow '"
              + record.workflow()
              + "', not '"
              + workflow.name()
              + "'");
    }
    List<String> was = record.stepNames();
    List<String> now = workflow.stepNames();
    int resumeAt = 0;
    while (resumeAt < record.steps().size() && record.steps().get(resumeAt).status().isDone()) {
      resumeAt++;
    }
    int mustMatch = Math.min(was.size(), resumeAt + 1);
    if (now.size() < mustMatch || !now.subList(0, mustMatch).equals(was.subList(0, mustMatch))) {
      var removed = new ArrayList<>(was);
      removed.removeAll(now);
      var added = new ArrayList<>(now);
      added.removeAll(was);
      throw new ValidationException(
          "run "
              + record.runId()
              + " of '"
              + workflow.name()
              + "' v"
              + record.workflowVersion()
              + " cannot resume under v"
              + workflow.version()
              + ": the steps it completed or resumes at changed (was "
              + was
              + ", now "
              + now
              + (removed.isEmpty() ? "" : "; removed " + removed)
              + (added.isEmpty() ? "" : "; added " + added)
              + (removed.isEmpty() && added.isEmpty() ? "; order changed" : "")
              + ")");
    }
  }

  public List<WorkflowRun> recover(Map<String, Workflow> workflows) {
    var taken = new ArrayList<WorkflowRun>();
    for (String runId : services.store().findExpired(services.clock().instant(), 1000)) {
      if (active.containsKey(runId)) {
        continue;
      }
      Optional<RunRecord> r = services.store().find(runId);
      Workflow wf = r.map(x -> workflows.get(x.workflow())).orElse(null);
      if (wf == null) {
        LOG.warn(
            "run {} of '{}' is orphaned, but no definition was given for it",
            runId,
            r.map(RunRecord::workflow).orElse("?"));
        continue;
      }
      try {
        resumeOrEmpty(runId, wf).ifPresent(taken::add);
      } catch (ValidationException e) {
        LOG.warn("run {} cannot be recovered: {}", runId, e.getMessage());
      }
    }
    return taken;
  }

  /** A run ready to execute. */
  private final class Prepared {
    private final RunHandle handle;
    private final RunScope scope;
    private final boolean resumed;

    Prepared(RunHandle handle, RunScope scope, boolean resumed) {
      this.handle = handle;
      this.scope = scope;
      this.resumed = resumed;
    }

    RunHandle handle() {
      return handle;
    }

    /**
     * Executes it for a caller that waits ({@code sync}: {@code engine.run}) or on the engine's
     * threads. A waiting caller's run executes on an engine thread too, so that its steps run
     * inline there while the caller stays free to get the result even when a step never returns;
     * with a host's executor, or when the engine's threads refuse, on the caller's own thread.
     */
    void launch(boolean sync) {
      if (sync) {
        handle.launchedForCaller = true;
        if (runThreads != null) {
          Map<String, String> mdc = org.slf4j.MDC.getCopyOfContextMap();
          try {
            runThreads.execute(
                () -> {
                  if (mdc != null) {
                    org.slf4j.MDC.setContextMap(mdc);
                  }
                  try {
                    execute(scope, handle, resumed, false);
                  } finally {
                    org.slf4j.MDC.clear();
                  }
                });
            return;
          } catch (java.util.concurrent.RejectedExecutionException closing) {
            // the engine is closing: the caller's thread runs it, as below
          }
        }
        execute(scope, handle, resumed, false);
      } else {
        (runThreads != null ? runThreads : services.executor())
            .execute(() -> execute(scope, handle, resumed, true));
      }
    }
  }

  private RunHandle launch(
      RunRecord record,
      Workflow workflow,
      RunOptions options,
      Map<String, Object> inputs,
      boolean resumed,
      long lastSequence,
      boolean inline) {
    var prepared = prepare(record, workflow, options, inputs, resumed, lastSequence);
    prepared.launch(inline);
    return prepared.handle();
  }

  private Prepared prepare(
      RunRecord record,
      Workflow workflow,
      RunOptions options,
      Map<String, Object> inputs,
      boolean resumed,
      long lastSequence) {
    Set<String> secretNames = secretNames(workflow);
    var scope = new RunScope(record, workflow, options, services, secretNames, lastSequence);
    // On the thread that asked for the run (start, resume, recover; a batch enters its caller's).
    scope.caller = CallerContext.capture(services.listeners());
    inputs.forEach(scope::put);
    if (resumed) {
      scope.restoreContext(record.context());
      scope.restoreOutputs(record.outputs());
      for (StepOutcome o : record.steps()) {
        if (o.status().isDone()) {
          scope.setOutcome(o);
        }
      }
    }
    if (resumed && !record.state().isFinished()) {
      honourCancelRequest(scope);
    }
    var handle = new RunHandle(record.runId(), scope::status, () -> scope.cancel(false));
    active.put(record.runId(), handle);
    scopes.put(record.runId(), scope);
    return new Prepared(handle, scope, resumed);
  }

  private static Set<String> secretNames(Workflow workflow) {
    Set<String> names = null;
    for (Input<?> input : workflow.inputs().values()) {
      if (input.secret()) {
        if (names == null) {
          names = new java.util.HashSet<>();
        }
        names.add(input.name());
      }
    }
    return names == null ? Set.of() : Set.copyOf(names);
  }

  /**
   * Executes a run. With {@code detachable} (the engine's threads, not the caller's), a polling
   * step waits between polls holding no thread: the execution returns, and {@link #proceed} goes on
   * after the wait.
   */
  private void execute(RunScope scope, RunHandle handle, boolean resumed, boolean detachable) {
    ScheduledFuture<?> runTimeout = null;
    if (scope.options.timeout() != null) {
      runTimeout =
          services
              .watchdog()
              .schedule(
                  () -> scope.cancel(true),
                  scope.options.timeout().toNanos(),
                  TimeUnit.NANOSECONDS);
    }
    var execution = new RunExecution(scope, resumed, detachable);
    final ScheduledFuture<?> timeout = runTimeout;
    execution.onHandOff(
        () ->
            services
                .attempts()
                .startElsewhere(() -> drive(scope, handle, execution, timeout, false)));
    drive(scope, handle, execution, runTimeout, true);
  }

  private void drive(
      RunScope scope,
      RunHandle handle,
      RunExecution execution,
      ScheduledFuture<?> runTimeout,
      boolean first) {
    // Whether the run goes on later, on this or another thread: its entries stay.
    boolean goesOn = false;
    try {
      WorkflowResult result = first ? execution.execute() : execution.proceed();
      if (result == null) {
        goesOn = true;
        sleepThenProceed(scope, handle, execution, runTimeout, execution.wakeAfter());
      } else {
        handle.complete(result);
      }
    } catch (StepAttempts.HandedOff gone) {
      // An attempt of the run abandoned on this thread: another thread went on with the run.
      goesOn = true;
    } catch (Throwable t) {
      goesOn = false;
      LOG.error("run {} stopped: {}", scope.runId, t.toString(), t);
      handle.fail(t);
    } finally {
      if (!goesOn) {
        if (runTimeout != null) {
          runTimeout.cancel(false);
        }
        // Only this execution's own entries: the handle completed above, so whoever it woke (a
        // callback on this thread, or an awaiting thread) may already have resumed the run under
        // the same id, and that execution's entries must stay for cancel, close and the heartbeat.
        active.remove(scope.runId, handle);
        scopes.remove(scope.runId, scope);
        if (scope.options.idempotencyKey() != null) {
          inflightKeys.remove(scope.options.idempotencyKey(), handle);
        }
      }
    }
  }

  /**
   * Proceeds with a run after {@code after}, holding no thread meanwhile when the sleeper is the
   * real one (the engine's timer wakes it); a cancel wakes it at once. Under a test sleeper (a
   * manual clock) a thread of the engine waits in that sleeper, so the wait moves the clock.
   */
  private void sleepThenProceed(
      RunScope scope,
      RunHandle handle,
      RunExecution execution,
      ScheduledFuture<?> runTimeout,
      Duration after) {
    // Back on the threads where the run's steps run inline (the engine's platform threads).
    var scheduler = Scheduler.of(runThreads != null ? runThreads : services.executor());
    var wake =
        new Wake(() -> scheduler.execute(() -> drive(scope, handle, execution, runTimeout, false)));
    if (services.sleeper().realTime()) {
      // A cancel must reach this wake before its timer can fire: registered after, it could
      // replace the wake of the run's next wait (the timer fired and the run went on meanwhile),
      // and a cancel would then wake nothing until that next wait ended.
      scope.wakeOnCancel(wake);
      try {
        ScheduledFuture<?> timer =
            services.watchdog().schedule(wake, after.toNanos(), TimeUnit.NANOSECONDS);
        wake.timer = timer;
        if (wake.fired()) {
          timer.cancel(false); // a cancel woke it meanwhile
        }
      } catch (java.util.concurrent.RejectedExecutionException closed) {
        // The engine is closing: the run ends now, cancelled, rather than never.
        scope.cancel(false);
        wake.run();
      }
      return;
    }
    scope.wakeOnCancel(wake);
    scheduler.execute(
        () -> {
          var guard = new AttemptGuard(Thread.currentThread());
          scope.register(guard);
          try {
            services.sleeper().sleep(after);
          } catch (InterruptedException cancelled) {
            // woken by a cancel: the run goes on now and sees it
          } finally {
            guard.finish();
            scope.unregister(guard);
          }
          wake.run();
        });
  }

  /** Proceeds with a waiting run once: at the end of its wait, or at a cancel, whichever first. */
  private static final class Wake implements Runnable {
    private final java.util.concurrent.atomic.AtomicBoolean fired =
        new java.util.concurrent.atomic.AtomicBoolean();
    private final Runnable proceed;
    volatile ScheduledFuture<?> timer;

    Wake(Runnable proceed) {
      this.proceed = proceed;
    }

    boolean fired() {
      return fired.get();
    }

    @Override
    public void run() {
      if (fired.compareAndSet(false, true)) {
        ScheduledFuture<?> t = timer;
        if (t != null) {
          t.cancel(false);
        }
        proceed.run();
      }
    }
  }

  /**
   * Renews the lease of every run executing here that has not committed for a third of the lease,
   * so no other engine takes a run whose long step is still running. One task for the engine, not
   * one per run.
   */
  private void heartbeat() {
    long stale = services.lease().dividedBy(3).toNanos();
    long now = System.nanoTime();
    for (RunScope scope : scopes.values()) {
      if (now - scope.lastCommitNanos() >= stale) {
        renew(scope);
      }
      honourCancelRequest(scope);
    }
  }

  /**
   * Cancels a run executing here that someone asked the store to cancel (another process: {@link
   * dev.opsflow.workflow.spi.ExecutionStore#requestCancel}).
   */
  private void honourCancelRequest(RunScope scope) {
    if (scope.cancelled) {
      return;
    }
    try {
      if (services.store().cancelRequested(scope.runId)) {
        boolean rollback = services.store().rollbackRequested(scope.runId);
        LOG.info(
            "run {}: cancel{} requested through the store; cancelling it",
            scope.runId,
            rollback ? " and rollback" : "");
        if (rollback) {
          scope.rollbackOnCancel = true;
        }
        scope.cancel(false);
      }
    } catch (RuntimeException e) {
      LOG.warn("could not read the cancel requests of run {}: {}", scope.runId, e.getMessage());
    }
  }

  private void renew(RunScope scope) {
    try {
      scope.renewLease();
    } catch (dev.opsflow.workflow.spi.StaleRunException e) {
      LOG.error(
          "run {} was taken over by another engine while it ran here; stopping it", scope.runId);
      scope.cancel(false);
    } catch (RuntimeException e) {
      LOG.warn("could not renew the lease of run {}: {}", scope.runId, e.getMessage());
    }
  }

  public Optional<RunStatus> status(String runId) {
    RunScope scope = scopes.get(runId);
    if (scope != null) {
      return Optional.of(scope.status());
    }
    return services.store().find(runId).map(this::fromRecord);
  }

  private RunStatus fromRecord(RunRecord r) {
    int done = (int) r.steps().stream().filter(s -> s.status().isDone()).count();
    int total = r.stepNames().size();
    int percent = r.state() == RunState.COMPLETED ? 100 : total == 0 ? 0 : 100 * done / total;
    String current =
        r.steps().stream()
            .filter(s -> s.status() == StepStatus.RUNNING)
            .map(StepOutcome::name)
            .findFirst()
            .orElse(null);
    return new RunStatus(
        r.runId(),
        r.workflow(),
        r.state(),
        percent,
        current,
        null,
        done,
        total,
        r.createdAt(),
        r.updatedAt());
  }

  public boolean cancel(String runId) {
    RunHandle h = active.get(runId);
    return h != null && h.cancel();
  }

  /** Cancels a run executing here and rolls its completed steps back. */
  public boolean cancelAndRollBack(String runId) {
    RunScope scope = scopes.get(runId);
    if (scope == null || active.get(runId) == null) {
      return false;
    }
    scope.rollbackOnCancel = true;
    return cancel(runId);
  }

  private static Map<String, Object> storable(Workflow workflow, Map<String, Object> inputs) {
    var out = new HashMap<String, Object>();
    inputs.forEach(
        (k, v) -> {
          Input<?> decl = workflow.inputs().get(k);
          if ((decl == null || !decl.secret()) && !(v instanceof Secret)) {
            out.put(k, v);
          }
        });
    return out;
  }
}
