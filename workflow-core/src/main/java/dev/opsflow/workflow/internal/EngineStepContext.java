package dev.opsflow.workflow.internal;

import dev.opsflow.workflow.CancelledException;
import dev.opsflow.workflow.Key;
import dev.opsflow.workflow.Parallel;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.StepTimeoutException;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowException;
import dev.opsflow.workflow.event.WorkflowEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's {@link StepContext}: one per step attempt (or per item of a parallel group). Public
 * only so the root package's composite steps can reach {@link #fanOut} and {@link #runNested}; not
 * part of the API.
 */
public final class EngineStepContext implements StepContext {
  private static final Logger STEP_LOG = LoggerFactory.getLogger("dev.opsflow.workflow.step");

  private final RunExecution execution;
  private final RunScope scope;
  private final String stepName;
  private final int attempt;
  private final Instant deadline;
  private final Duration timeout;
  private final Object item;
  private final boolean compensating;

  /** The attempt this one runs inside (a step of a sub-workflow or an item of a group), or null. */
  private final EngineStepContext parent;

  /** Set when the engine stopped waiting for this attempt: every later write is refused. */
  private volatile boolean abandoned;

  EngineStepContext(
      RunExecution execution,
      String stepName,
      int attempt,
      Instant deadline,
      Duration timeout,
      Object item,
      boolean compensating) {
    this.execution = execution;
    this.scope = execution.scope;
    this.stepName = stepName;
    this.attempt = attempt;
    this.deadline = deadline;
    this.timeout = timeout;
    this.item = item;
    this.compensating = compensating;
    this.parent = OffThreadAttempt.current();
  }

  /** Marks the attempt abandoned: from now on its writes are refused and it reads as cancelled. */
  void abandon() {
    abandoned = true;
  }

  /** Whether this attempt, or the one it runs inside, was abandoned. */
  boolean isAbandoned() {
    return abandoned || (parent != null && parent.isAbandoned());
  }

  /**
   * @throws CancelledException when the attempt was abandoned: it has no effect on its run anymore
   */
  void refuseIfAbandoned() {
    if (isAbandoned()) {
      throw new CancelledException(
          "attempt "
              + attempt
              + " of step '"
              + stepName
              + "' of run "
              + scope.runId
              + " was abandoned after its timeout or a cancel: it can no longer change the run");
    }
  }

  @Override
  public <T> Optional<T> get(Key<T> key) {
    return Optional.ofNullable(scope.get(key));
  }

  @Override
  public <T> T require(Key<T> key) {
    T v = scope.get(key);
    if (v == null) {
      throw new WorkflowException(
          dev.opsflow.workflow.ErrorKind.CONFIGURATION,
          "step '"
              + stepName
              + "' needs '"
              + key.name()
              + "' in the context, and no input or "
              + "earlier step put it there");
    }
    return v;
  }

  @Override
  public <T> void put(Key<T> key, T value) {
    refuseIfAbandoned();
    if (value != null && !key.type().isInstance(value)) {
      throw new IllegalArgumentException(
          "value for '"
              + key.name()
              + "' is a "
              + value.getClass().getName()
              + ", expected "
              + key.type().getName());
    }
    scope.put(key.name(), value);
  }

  @Override
  public void output(String name, Object value) {
    refuseIfAbandoned();
    scope.output(name, value);
  }

  @Override
  public void subTask(String description) {
    refuseIfAbandoned();
    scope.currentSubTask = description;
    int p = scope.stepProgress;
    scope.emit(
        (seq, ts) ->
            new WorkflowEvent.StepProgress(scope.runId, seq, ts, stepName, p, description));
    STEP_LOG.info("{}: {}", stepName, description);
  }

  @Override
  public void progress(int percent) {
    refuseIfAbandoned();
    int p = Math.max(0, Math.min(100, percent));
    scope.stepProgress = p;
    String sub = scope.currentSubTask;
    scope.emit((seq, ts) -> new WorkflowEvent.StepProgress(scope.runId, seq, ts, stepName, p, sub));
  }

  @Override
  public void checkCancelled() {
    refuseIfAbandoned();
    if (compensating) {
      return;
    }
    if (scope.cancelled) {
      throw new CancelledException(
          "run " + scope.runId + " was cancelled during step '" + stepName + "'");
    }
    if (deadline != null && !scope.services.clock().instant().isBefore(deadline)) {
      throw timedOut();
    }
  }

  @Override
  public boolean isCancelled() {
    return (scope.cancelled && !compensating) || isAbandoned();
  }

  @Override
  public void sleep(Duration duration) {
    checkCancelled();
    Duration d = duration;
    boolean cut = false;
    if (deadline != null) {
      Duration left = Duration.between(scope.services.clock().instant(), deadline);
      if (left.compareTo(d) < 0) {
        d = left.isNegative() ? Duration.ZERO : left;
        cut = true;
      }
    }
    try {
      scope.services.sleeper().sleep(d);
    } catch (InterruptedException e) {
      if (scope.cancelled && !compensating) {
        throw new CancelledException(
            "run " + scope.runId + " was cancelled while step '" + stepName + "' waited");
      }
      throw timedOut();
    }
    if (cut) {
      throw timedOut();
    }
    checkCancelled();
  }

  private StepTimeoutException timedOut() {
    if (scope.runTimedOut) {
      return new StepTimeoutException(
          "run "
              + scope.runId
              + " went past its timeout of "
              + scope.options.timeout()
              + " during step '"
              + stepName
              + "'");
    }
    return new StepTimeoutException(
        "step '"
            + stepName
            + "' went past its timeout of "
            + (timeout == null ? scope.options.timeout() : timeout));
  }

  @Override
  public boolean isDryRun() {
    return scope.options.dryRun();
  }

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public String runId() {
    return scope.runId;
  }

  @Override
  public String stepName() {
    return stepName;
  }

  /** The run this attempt belongs to. */
  RunScope scope() {
    return scope;
  }

  @Override
  public Object item() {
    return item;
  }

  @Override
  public Logger log() {
    return STEP_LOG;
  }

  @Override
  public Clock clock() {
    return scope.services.clock();
  }

  @Override
  public Optional<Duration> remaining() {
    if (deadline == null) {
      return Optional.empty();
    }
    Duration left = Duration.between(scope.services.clock().instant(), deadline);
    return Optional.of(left.isNegative() ? Duration.ZERO : left);
  }

  /** Runs {@code child}'s steps inside this run; returns the outputs it added. */
  public Map<String, Object> runNested(Workflow child, String prefix) throws Exception {
    return execution.runNested(child, prefix, this);
  }

  /** Runs {@code work} for each item, at most {@code maxParallel} at once; results in order. */
  public List<Object> fanOut(
      List<?> items, int maxParallel, Parallel.ItemAction<Object, Object> work) throws Exception {
    return execution.fanOut(this, items, maxParallel, work);
  }
}
