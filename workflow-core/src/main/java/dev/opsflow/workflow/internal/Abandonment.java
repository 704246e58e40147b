package dev.opsflow.workflow.internal;

import dev.opsflow.workflow.event.WorkflowEvent;
import java.util.concurrent.TimeUnit;

/**
 * What the engine does and tells when it abandons an attempt (its run stops waiting for it) and
 * when an abandoned attempt finally ends, wherever the attempt ran: inline on the run's thread
 * ({@link InlineAttempt}) or on a thread of its own ({@link OffThreadAttempt}).
 */
final class Abandonment {
  private Abandonment() {}

  /**
   * Counts the attempt of {@code ctx} as abandoned, makes its context refuse every later write, and
   * reports it ({@code AttemptAbandoned} and a WARN); {@code firedAtNanos} is when it was stopped.
   */
  static void abandoned(RunScope scope, EngineStepContext ctx, boolean timeout, long firedAtNanos) {
    AttemptThreads threads = scope.services.attempts();
    threads.abandonedOne();
    scope.abandonedAttempts.incrementAndGet();
    long overrunMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - firedAtNanos);
    String why = timeout ? "timeout" : "cancel";
    ctx.abandon();
    scope.emit(
        (seq, ts) ->
            new WorkflowEvent.AttemptAbandoned(
                scope.runId, seq, ts, ctx.stepName(), ctx.attempt(), why, overrunMs));
    RunScope.LOG.warn(
        "run {}: attempt {} of step '{}' did not stop {} ms after its {}: abandoned, its thread"
            + " still runs ({} abandoned attempt(s) in this engine)",
        scope.runId,
        ctx.attempt(),
        ctx.stepName(),
        overrunMs,
        why,
        threads.abandoned());
  }

  /**
   * Reports the late end of an abandoned attempt ({@code AbandonedAttemptEnded} and a WARN), whose
   * result is ignored, and stops counting it; {@code e} is what it threw, or null.
   */
  static void endedLate(RunScope scope, EngineStepContext ctx, long firedAtNanos, Throwable e) {
    long overrunMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - firedAtNanos);
    String how = e == null ? "returned" : "threw " + e.getClass().getSimpleName();
    scope.emit(
        (seq, ts) ->
            new WorkflowEvent.AbandonedAttemptEnded(
                scope.runId, seq, ts, ctx.stepName(), ctx.attempt(), overrunMs, how));
    RunScope.LOG.warn(
        "run {}: abandoned attempt {} of step '{}' ended {} ms after it was stopped ({}); its"
            + " result is ignored",
        scope.runId,
        ctx.attempt(),
        ctx.stepName(),
        overrunMs,
        how);
    // Counted as running until reported, so a count of 0 means every end was told.
    scope.abandonedAttempts.decrementAndGet();
    scope.services.attempts().abandonedEnded();
  }
}
