package dev.opsflow.workflow.internal;

import dev.failsafe.Execution;
import dev.opsflow.workflow.CancelledException;
import dev.opsflow.workflow.ErrorInfo;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Parallel;
import dev.opsflow.workflow.Poll;
import dev.opsflow.workflow.PollingStep;
import dev.opsflow.workflow.Retries;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.StepOptions;
import dev.opsflow.workflow.StepOutcome;
import dev.opsflow.workflow.StepStatus;
import dev.opsflow.workflow.StepTimeoutException;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowException;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.event.WorkflowEvent.StepStarted;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Executes one run: its steps in order, then rollback or the partial-state report, then the result.
 */
final class RunExecution {
  final Logger log = LoggerFactory.getLogger("dev.opsflow.workflow.engine");

  final RunScope scope;
  final Instant runDeadline;
  private final StepAttempts attempts;
  private final boolean resumed;

  /** Whether each step is committed (a durable store) or only the start and the end. */
  private final boolean durable;

  /** Completed steps with a compensation, in completion order (nested ones included). */
  private final Deque<Compensable> compensations = new ConcurrentLinkedDeque<>();

  private record Compensable(String name, Step step, StepOptions options) {}

  /**
   * Whether a top-level {@link PollingStep} may wait between polls holding no thread: the run
   * executes on the engine's threads (not inline on the caller's), so {@link #execute} and {@link
   * #proceed} may return null, and the engine calls {@link #proceed} after {@link #wakeAfter}.
   */
  private final boolean detachable;

  /** The index of the top-level node executing (the one to go on with after a wait). */
  private int nextNode;

  /** The top-level polling step waiting between polls, or null. */
  private PollState polling;

  /** How long to wait before {@link #proceed}, when execute or proceed returned null. */
  private Duration wakeAfter;

  /**
   * A top-level step whose inline attempt was abandoned: the thread that runs the rest of the run
   * goes on with its attempts from here. Set on the engine's watchdog, read by that thread.
   */
  private volatile Handoff handoff;

  /** Starts the thread that goes on with the run after a hand-off; set by the engine. */
  private Runnable continuation;

  private record Handoff(
      String name,
      Step step,
      StepOptions options,
      Instant started,
      StepAttempts.Loop loop,
      Throwable error) {}

  /** Where a polling step's attempts stand while the run waits holding no thread. */
  private static final class PollState {
    final String name;
    final PollingStep step;
    final StepOptions options;
    final Object item;
    final Instant started;
    int attempt;
    int count;
    boolean attemptOpen;
    boolean abandoned;
    Instant stepDeadline;
    Instant attemptStarted;
    Execution<Object> failsafe;

    PollState(String name, PollingStep step, StepOptions options, Object item, Instant started) {
      this.name = name;
      this.step = step;
      this.options = options;
      this.item = item;
      this.started = started;
    }
  }

  /** Unwinds the run's stack when it is to wait between polls; carries nothing. */
  private static final class Suspend extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final Suspend INSTANCE = new Suspend();

    private Suspend() {
      super(null, null, false, false);
    }
  }

  /** Thrown out of a step to report a failure whose outcome is already recorded. */
  private static final class StepFailure extends Exception {
    private static final long serialVersionUID = 1L;
    final transient Throwable error;
    final String step;
    final String subTask;

    StepFailure(Throwable error, String step, String subTask) {
      super(error.getMessage(), error, false, false);
      this.error = error;
      this.step = step;
      this.subTask = subTask;
    }
  }

  RunExecution(RunScope scope, boolean resumed, boolean detachable) {
    this.scope = scope;
    this.resumed = resumed;
    this.detachable = detachable;
    this.durable = scope.services.store().durable();
    this.attempts = new StepAttempts(this);
    this.runDeadline =
        scope.options.timeout() == null
            ? null
            : scope.services.clock().instant().plus(scope.options.timeout());
  }

  /**
   * Starts the run; returns its result, or null when it waits between two polls of a polling step
   * holding no thread: call {@link #proceed} after {@link #wakeAfter()}.
   */
  WorkflowResult execute() {
    scope.bindRunThread();
    MDC.put("opsflow.runId", scope.runId);
    MDC.put("opsflow.workflow", scope.workflow.name());
    try {
      return executeInMdc();
    } finally {
      MDC.remove("opsflow.runId");
      MDC.remove("opsflow.workflow");
      MDC.remove("opsflow.step");
    }
  }

  /** Goes on after a wait, on any thread; returns as {@link #execute} does. */
  WorkflowResult proceed() {
    scope.wakeOnCancel(null);
    scope.bindRunThread();
    MDC.put("opsflow.runId", scope.runId);
    MDC.put("opsflow.workflow", scope.workflow.name());
    try {
      return proceedInMdc();
    } finally {
      MDC.remove("opsflow.runId");
      MDC.remove("opsflow.workflow");
      MDC.remove("opsflow.step");
    }
  }

  /**
   * Sets what starts another thread to go on with the run ({@link #proceed}) when an attempt that
   * ran inline on the run's thread is abandoned; that thread then throws {@link
   * StepAttempts.HandedOff} out of {@link #execute} or {@link #proceed} once its step returns.
   */
  void onHandOff(Runnable startElsewhere) {
    this.continuation = startElsewhere;
  }

  /** On the watchdog: the rest of the run goes to another thread, from the abandoned attempt. */
  private void handOff(Handoff h) {
    handoff = h;
    continuation.run();
  }

  /** How long the run waits before {@link #proceed}, after execute or proceed returned null. */
  Duration wakeAfter() {
    return wakeAfter;
  }

  private WorkflowResult executeInMdc() {
    scope.state = RunState.RUNNING;
    Instant startedAt = scope.services.clock().instant();
    RunAttributes.gather(scope, resumed, startedAt);
    scope.emitAt(
        startedAt,
        (seq, ts) ->
            new WorkflowEvent.RunStarted(
                scope.runId,
                seq,
                ts,
                scope.workflow.name(),
                scope.workflow.version(),
                scope.workflow.nodes().size(),
                scope.options.dryRun(),
                resumed));
    log.info(
        "run {} of '{}' {}", scope.runId, scope.workflow.name(), resumed ? "resumed" : "started");
    if (resumed) {
      for (var node : scope.workflow.nodes()) {
        rememberCompensation(node.step().name(), node.step(), node.options());
      }
    }
    // Made durable by the first step's commit (or a lease renewal): one sync less per run.
    scope.commitUnsynced();
    return proceedInMdc();
  }

  private WorkflowResult proceedInMdc() {
    StepFailure failure = null;
    try {
      runNodes(scope.workflow, "", null, null);
    } catch (StepFailure f) {
      failure = f;
    } catch (Suspend waiting) {
      return null;
    }
    return finish(failure);
  }

  private void rememberCompensation(String name, Step step, StepOptions options) {
    StepOutcome o = scope.outcome(name);
    if (o != null && o.status() == StepStatus.COMPLETED && step.hasCompensation()) {
      compensations.push(new Compensable(name, step, options));
    }
  }

  /** Runs the nodes of {@code wf}; names are prefixed for nested workflows. */
  private void runNodes(Workflow wf, String prefix, EngineStepContext parent, Object item)
      throws StepFailure {
    boolean top = prefix.isEmpty();
    List<Workflow.Node> nodes = wf.nodes();
    for (int i = top ? nextNode : 0; i < nodes.size(); i++) {
      var node = nodes.get(i);
      String name = prefix + node.step().name();
      if (parent != null) {
        // A sub-workflow whose step was abandoned goes no further: it no longer belongs to the run.
        parent.refuseIfAbandoned();
      }
      if (top) {
        nextNode = i;
        Handoff h = handoff;
        if (h != null) {
          // Back on another thread after an attempt of this step was abandoned.
          handoff = null;
          MDC.put("opsflow.step", h.name());
          scope.currentStep = h.name();
          var outcome = attempts.resume(h.loop(), h.error());
          afterAttempts(h.name(), h.step(), h.options(), h.started(), outcome);
          scope.stepsDone++;
          if (durable && i < nodes.size() - 1) {
            scope.commit(null);
          }
          continue;
        }
        if (polling != null) {
          // Back from a wait between two polls of this step.
          continuePolling();
          scope.stepsDone++;
          if (durable) {
            scope.commit(null);
          }
          continue;
        }
      }
      // Only a resumed run, or a sub-workflow step retried, finds steps already done.
      if ((resumed || !top) && scope.isDone(name)) {
        if (top) {
          scope.stepsDone++;
        }
        continue;
      }
      if (scope.cancelled) {
        throw new StepFailure(cancellation(name), name, null);
      }
      if (runDeadline != null && !scope.services.clock().instant().isBefore(runDeadline)) {
        scope.cancel(true);
        throw new StepFailure(
            new StepTimeoutException(
                "run "
                    + scope.runId
                    + " went past its timeout of "
                    + scope.options.timeout()
                    + " before step '"
                    + name
                    + "'"),
            name,
            null);
      }
      runNode(name, node.step(), node.options(), top, item);
      if (top) {
        scope.stepsDone++;
        // The last step's outcome goes with the run's end, committed right after it: one sync.
        if (durable && i < nodes.size() - 1) {
          scope.commit(null);
        }
      }
    }
  }

  /**
   * Whether {@code error} is of {@code kind}, by its kind rather than its class: a timeout or a
   * cancellation that a step re-threw with more suggestions or details still counts as one.
   */
  static boolean isKind(Throwable error, ErrorKind kind) {
    return error instanceof WorkflowException w && w.kind() == kind;
  }

  private Throwable cancellation(String name) {
    return stopped("before step '" + name + "'");
  }

  /** Why the run stopped {@code when} ("before step 'x'"): its timeout, or a cancel. */
  private RuntimeException stopped(String when) {
    return scope.runTimedOut
        ? new StepTimeoutException(
            "run "
                + scope.runId
                + " went past its timeout of "
                + scope.options.timeout()
                + " "
                + when)
        : new CancelledException("run " + scope.runId + " was cancelled " + when);
  }

  private void runNode(String name, Step step, StepOptions options, boolean top, Object item)
      throws StepFailure {
    MDC.put("opsflow.step", name);
    scope.currentStep = name;
    scope.currentSubTask = null;
    scope.stepProgress = 0;
    Instant started = scope.services.clock().instant();
    var probe = new EngineStepContext(this, name, 1, runDeadline, null, item, false);
    try {
      if (options.condition() != null && !options.condition().test(probe)) {
        skip(name, started, "condition not met");
        return;
      }
      Optional<String> done = step.precheck(probe);
      if (done.isPresent()) {
        skip(name, started, done.get());
        return;
      }
    } catch (Throwable e) {
      fail(name, started, 1, e);
    }
    if (scope.options.dryRun() && !step.readOnly()) {
      String description = step.describe(probe);
      scope.setOutcome(
          new StepOutcome(
              name,
              StepStatus.DRY_RUN,
              0,
              0,
              started,
              scope.services.clock().instant(),
              null,
              description,
              null));
      scope.emit(
          (seq, ts) ->
              new WorkflowEvent.StepSkipped(
                  scope.runId, seq, ts, name, "dry run: would " + description));
      return;
    }
    if (durable) {
      // A store that outlives us shows the step as running in any commit made during it.
      scope.setOutcome(
          new StepOutcome(name, StepStatus.RUNNING, 0, 0, started, null, null, null, null));
    }
    if (top && detachable && step instanceof PollingStep waiting) {
      polling = new PollState(name, waiting, options, item, started);
      continuePolling();
      return;
    }
    StepAttempts.Work work =
        ctx -> {
          step.run(ctx);
          return null;
        };
    var outcome =
        top
            ? attempts.runTopLevel(
                name,
                options,
                started,
                work,
                (loop, error) -> handOff(new Handoff(name, step, options, started, loop, error)))
            : attempts.run(name, options, item, false, true, started, work);
    afterAttempts(name, step, options, started, outcome);
  }

  /** Records how the attempts of a step ended: completed, or failed (throws StepFailure). */
  private void afterAttempts(
      String name, Step step, StepOptions options, Instant started, StepAttempts.Outcome outcome)
      throws StepFailure {
    EngineStepContext within = OffThreadAttempt.current();
    if (within != null) {
      // A nested step's end is not recorded for a sub-workflow step that was abandoned meanwhile.
      within.refuseIfAbandoned();
    }
    if (!outcome.ok()) {
      if (outcome.abandoned()) {
        compensateAbandoned(name, step, options);
      }
      fail(name, started, outcome.attempts(), outcome.error());
    }
    completed(name, step, options, started, outcome.end(), outcome.attempts(), outcome.elapsed());
  }

  /**
   * An abandoned attempt may have done its work, or part of it, so the step is compensated on
   * rollback as if it had completed.
   */
  private void compensateAbandoned(String name, Step step, StepOptions options) {
    if (step.hasCompensation()) {
      compensations.push(new Compensable(name, step, options));
    }
  }

  private void completed(
      String name,
      Step step,
      StepOptions options,
      Instant started,
      Instant finished,
      int tries,
      Duration elapsed) {
    scope.setOutcome(
        new StepOutcome(
            name,
            StepStatus.COMPLETED,
            tries,
            elapsed.toMillis(),
            started,
            finished,
            null,
            null,
            null));
    if (step.hasCompensation()) {
      compensations.push(new Compensable(name, step, options));
    }
    scope.emitAt(
        finished,
        (seq, ts) ->
            new WorkflowEvent.StepSucceeded(scope.runId, seq, ts, name, tries, elapsed.toMillis()));
  }

  /**
   * Polls the waiting top-level step until it is done (returns), fails (throws StepFailure) or has
   * to wait (throws Suspend, with {@link #wakeAfter} set): the same attempts, timeouts, retries,
   * events and cancellation as a step polling in place, without a thread between polls.
   */
  private void continuePolling() throws StepFailure {
    PollState ps = polling;
    MDC.put("opsflow.step", ps.name);
    Duration timeout = ps.options.timeout();
    while (true) {
      Instant now = scope.services.clock().instant();
      if (!ps.attemptOpen) {
        ps.attemptOpen = true;
        ps.attempt++;
        ps.count = 0;
        ps.attemptStarted = now;
        ps.stepDeadline = timeout == null ? null : now.plus(timeout);
        final int n = ps.attempt;
        java.util.function.BiFunction<Long, Instant, WorkflowEvent> startedEvent =
            (seq, ts) -> new StepStarted(scope.runId, seq, ts, ps.name, n);
        if (n == 1) {
          scope.emitAt(ps.started, startedEvent);
        } else {
          scope.emit(startedEvent);
        }
      }
      Throwable error = null;
      Poll poll = null;
      if (scope.cancelled) {
        error = stopped("while step '" + ps.name + "' waited");
      } else if (runDeadline != null && !now.isBefore(runDeadline)) {
        scope.cancel(true);
        error = stopped("while step '" + ps.name + "' waited");
      } else if (ps.stepDeadline != null && !now.isBefore(ps.stepDeadline)) {
        error =
            new StepTimeoutException(
                "step '" + ps.name + "' went past its timeout of " + timeout + " while it waited");
      } else {
        final var polled = new dev.opsflow.workflow.Polling(++ps.count, ps.attemptStarted);
        try {
          Object answer =
              attempts.poll(
                  ps.name,
                  timeout,
                  ps.stepDeadline,
                  ps.item,
                  ps.attempt,
                  ctx -> ps.step.poll(ctx, polled));
          if (answer == null) {
            throw new IllegalStateException("step '" + ps.name + "' polled null instead of a Poll");
          }
          poll = (Poll) answer;
        } catch (Throwable t) {
          error = t;
          if (StepAttempts.isAbandoned(t) && !ps.abandoned) {
            ps.abandoned = true;
            compensateAbandoned(ps.name, ps.step, ps.options);
          }
        }
      }
      if (error == null && poll.isDone()) {
        polling = null;
        Instant end = scope.services.clock().instant();
        completed(
            ps.name,
            ps.step,
            ps.options,
            ps.started,
            end,
            ps.attempt,
            Duration.between(ps.started, end));
        return;
      }
      Duration wait;
      if (error == null) {
        wait = poll.after();
      } else {
        if (scope.cancelled || isKind(error, ErrorKind.CANCELLED)) {
          polling = null;
          fail(ps.name, ps.started, ps.attempt, error);
        }
        if (ps.failsafe == null && ps.options.retry() != null) {
          ps.failsafe = Execution.of(ps.options.retry());
        }
        wait = attempts.retryDelay(ps.name, ps.attempt, error, ps.failsafe, true);
        if (wait == null) {
          polling = null;
          fail(ps.name, ps.started, ps.attempt, error);
        }
        ps.attemptOpen = false;
      }
      // Wake no later than the deadlines, which then end the wait.
      Instant at = scope.services.clock().instant();
      for (Instant limit : new Instant[] {ps.attemptOpen ? ps.stepDeadline : null, runDeadline}) {
        if (limit != null && Duration.between(at, limit).compareTo(wait) < 0) {
          wait = Duration.between(at, limit);
        }
      }
      if (wait.isNegative() || wait.isZero()) {
        continue;
      }
      wakeAfter = wait;
      throw Suspend.INSTANCE;
    }
  }

  private void skip(String name, Instant started, String reason) {
    scope.setOutcome(
        new StepOutcome(
            name,
            StepStatus.SKIPPED,
            0,
            0,
            started,
            scope.services.clock().instant(),
            reason,
            null,
            null));
    scope.emit((seq, ts) -> new WorkflowEvent.StepSkipped(scope.runId, seq, ts, name, reason));
    log.info("step '{}' skipped: {}", name, reason);
  }

  private void fail(String name, Instant started, int tries, Throwable error) throws StepFailure {
    if (error instanceof StepFailure nested) {
      scope.setOutcome(
          new StepOutcome(
              name,
              StepStatus.FAILED,
              tries,
              0,
              started,
              scope.services.clock().instant(),
              null,
              null,
              "step '" + nested.step + "' failed"));
      throw nested;
    }
    StepStatus status =
        isKind(error, ErrorKind.TIMEOUT)
            ? StepStatus.TIMEOUT
            : isKind(error, ErrorKind.CANCELLED) ? StepStatus.CANCELLED : StepStatus.FAILED;
    String message = Retries.messageOf(error);
    Instant now = scope.services.clock().instant();
    scope.setOutcome(
        new StepOutcome(
            name,
            status,
            tries,
            java.time.Duration.between(started, now).toMillis(),
            started,
            now,
            null,
            null,
            message));
    var kind = Retries.classify(error).kind();
    scope.emit(
        (seq, ts) ->
            new WorkflowEvent.StepFailed(scope.runId, seq, ts, name, tries, kind, message));
    log.warn("step '{}' failed after {} attempt(s): {}", name, tries, message);
    throw new StepFailure(error, name, scope.currentSubTask);
  }

  // ---- composites ----

  Map<String, Object> runNested(Workflow child, String prefix, EngineStepContext parent)
      throws Exception {
    Map<String, Object> before = scope.outputs();
    runNodes(child, prefix + "/", parent, parent.item());
    Map<String, Object> added = new LinkedHashMap<>(scope.outputs());
    added.keySet().removeAll(before.keySet());
    return added;
  }

  List<Object> fanOut(
      EngineStepContext parent,
      List<?> items,
      int maxParallel,
      Parallel.ItemAction<Object, Object> work)
      throws Exception {
    String group = parent.stepName();
    StepOptions options =
        scope.workflow.node(group).map(Workflow.Node::options).orElse(StepOptions.defaults());
    Object[] results = new Object[items.size()];
    var failures = new ConcurrentLinkedQueue<String>();
    var firstError = new java.util.concurrent.atomic.AtomicReference<Throwable>();
    var stop = new AtomicBoolean();
    var slots = new Semaphore(maxParallel);
    int started = 0;
    // The items share the engine's scheduler: on the JDK 17 pool, room for them is reserved so
    // they run in parallel rather than on this thread once the pool's base is busy.
    Scheduler.Reservation room = Scheduler.of(scope.services.executor()).reserve(maxParallel);
    try {
      for (int i = 0; i < items.size() && !stop.get() && !scope.cancelled; i++) {
        slots.acquireUninterruptibly();
        if (stop.get() || scope.cancelled) {
          slots.release();
          break;
        }
        final int index = i;
        final Object item = items.get(i);
        started++;
        Runnable itemWork =
            () -> {
              MDC.put("opsflow.runId", scope.runId);
              MDC.put("opsflow.workflow", scope.workflow.name());
              MDC.put("opsflow.step", group);
              try {
                var out =
                    attempts.run(
                        group + "[" + index + "]",
                        options.withoutCondition(),
                        item,
                        false,
                        false,
                        ctx -> work.apply(ctx, item));
                if (out.ok()) {
                  results[index] = out.value();
                } else {
                  failures.add(
                      "item " + index + " (" + item + "): " + Retries.messageOf(out.error()));
                  firstError.compareAndSet(null, out.error());
                  stop.set(true);
                }
              } finally {
                slots.release();
              }
            };
        Runnable task = () -> OffThreadAttempt.runWithin(parent, itemWork);
        try {
          scope.services.executor().execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
          task.run();
        }
      }
      // Fan-in: wait until every started item gave its slot back.
      slots.acquireUninterruptibly(maxParallel);
      slots.release(maxParallel);
    } finally {
      room.close();
    }
    if (scope.cancelled) {
      throw cancellation(group) instanceof RuntimeException r ? r : new CancelledException(group);
    }
    if (!failures.isEmpty()) {
      Throwable first = firstError.get();
      var kind = Retries.classify(first).kind();
      throw new WorkflowException(
          kind == ErrorKind.CANCELLED ? ErrorKind.STEP_FAILED : kind,
          failures.size()
              + " of "
              + started
              + " started items of '"
              + group
              + "' failed: "
              + String.join("; ", failures),
          first,
          false,
          Map.of(
              "failedItems", failures.size(), "startedItems", started, "totalItems", items.size()),
          List.of());
    }
    return java.util.Arrays.asList(results);
  }

  // ---- the end ----

  private WorkflowResult finish(StepFailure failure) {
    ErrorInfo error = null;
    RunState state;
    String message;
    String wf = scope.workflow.name();
    if (failure == null) {
      state = RunState.COMPLETED;
      long skipped =
          scope.outcomes().stream().filter(o -> o.status() == StepStatus.SKIPPED).count();
      message =
          scope.options.dryRun()
              ? "Dry run of '" + wf + "': nothing was changed; each step says what it would do"
              : "Workflow '"
                  + wf
                  + "' completed"
                  + (skipped > 0 ? " (" + skipped + " step(s) skipped)" : "");
    } else {
      error = ErrorInfo.of(failure.error, failure.step, failure.subTask);
      boolean cancelled = isKind(failure.error, ErrorKind.CANCELLED);
      List<String> kept =
          scope.outcomes().stream()
              .filter(o -> o.status() == StepStatus.COMPLETED)
              .map(StepOutcome::name)
              .toList();
      boolean undo = cancelled && scope.rollbackOnCancel;
      if ((scope.options.rollbackOnFailure() || undo) && !compensations.isEmpty()) {
        List<String> failed = compensate();
        if (failed.isEmpty()) {
          // A cancel that asked for the rollback ends ROLLED_BACK; one of a run that had
          // rollback on all along ends CANCELLED, as it always has.
          state = cancelled && !undo ? RunState.CANCELLED : RunState.ROLLED_BACK;
          message =
              "Workflow '"
                  + wf
                  + "' "
                  + (cancelled ? "was cancelled" : "failed at step '" + failure.step + "'")
                  + "; rolled back "
                  + kept.size()
                  + " completed step(s)";
        } else {
          state = cancelled ? RunState.CANCELLED : RunState.FAILED;
          message =
              "Workflow '"
                  + wf
                  + "' "
                  + (cancelled ? "was cancelled" : "failed at step '" + failure.step + "'")
                  + ", and the compensation of "
                  + failed
                  + " failed: their work is still there";
          error =
              withDetail(error, "failedCompensations", failed)
                  .withSuggestions(
                      List.of(
                          "undo the work of "
                              + failed
                              + " by hand: their compensations failed (see the "
                              + "compensation events)"));
        }
      } else if (cancelled) {
        state = RunState.CANCELLED;
        message =
            "Workflow '"
                + wf
                + "' was cancelled at step '"
                + failure.step
                + "'"
                + (kept.isEmpty() ? "" : "; completed steps " + kept + " were kept");
      } else if (!kept.isEmpty()) {
        state = RunState.PARTIAL;
        message =
            "Workflow '"
                + wf
                + "' failed at step '"
                + failure.step
                + "' after "
                + kept
                + " completed; their work was kept";
        error =
            error.withSuggestions(
                List.of(
                    "fix the cause, then resume: engine.resume(\""
                        + scope.runId
                        + "\", workflow)"
                        + " continues at '"
                        + failure.step
                        + "' without repeating "
                        + kept,
                    "or undo the kept work: run again with rollbackOnFailure, or by hand for "
                        + kept));
      } else {
        state = RunState.FAILED;
        message =
            "Workflow '"
                + wf
                + "' failed at step '"
                + failure.step
                + "': "
                + failure.error.getMessage();
      }
    }
    scope.state = state;
    scope.currentStep = null;
    scope.currentSubTask = null;
    final RunState end = state;
    final String msg = message;
    scope.emit((seq, ts) -> new WorkflowEvent.RunFinished(scope.runId, seq, ts, end, msg));
    var result = scope.endResult(state, message, error);
    scope.commit(result);
    if (state == RunState.COMPLETED) {
      log.info("{}", message);
    } else {
      log.warn("{}", message);
    }
    return result;
  }

  private static ErrorInfo withDetail(ErrorInfo e, String key, Object value) {
    var d = new LinkedHashMap<>(e.details());
    d.put(key, value);
    return new ErrorInfo(
        e.type(), e.message(), e.step(), e.subTask(), d, e.suggestions(), e.retryable());
  }

  /** Runs the compensations in reverse order of completion; returns the steps whose failed. */
  private List<String> compensate() {
    var failed = new ArrayList<String>();
    while (!compensations.isEmpty()) {
      Compensable c = compensations.pop();
      MDC.put("opsflow.step", c.name());
      var out =
          attempts.run(
              c.name() + ":compensate",
              c.options().withoutCondition(),
              null,
              true,
              false,
              ctx -> {
                c.step().compensate(ctx);
                return null;
              });
      StepOutcome o = scope.outcome(c.name());
      if (out.ok()) {
        scope.setOutcome(o.withStatus(StepStatus.COMPENSATED));
        scope.emit(
            (seq, ts) ->
                new WorkflowEvent.Compensation(
                    scope.runId, seq, ts, c.name(), true, "compensated"));
        log.info("step '{}' compensated", c.name());
      } else {
        failed.add(c.name());
        String m = Retries.messageOf(out.error());
        scope.setOutcome(o.withStatus(StepStatus.COMPENSATION_FAILED).withError(m));
        scope.emit(
            (seq, ts) -> new WorkflowEvent.Compensation(scope.runId, seq, ts, c.name(), false, m));
        log.error("compensation of step '{}' failed: {}", c.name(), m);
      }
    }
    return failed;
  }
}
