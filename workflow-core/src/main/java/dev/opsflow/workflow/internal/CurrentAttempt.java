package dev.opsflow.workflow.internal;

import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.event.WorkflowListener;
import dev.opsflow.workflow.http.RequestDecorator;
import dev.opsflow.workflow.http.RequestDecorator.StepAttempt;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The headers that the engine's {@link RequestDecorator}s add to a request sent by the step attempt
 * running on this thread (the attempt's thread knows its context: {@link
 * OffThreadAttempt#current()}), so the core's HTTP client decorates a step's requests without the
 * step passing anything.
 */
public final class CurrentAttempt {
  private CurrentAttempt() {}

  /** The headers for a request sent on this thread now; empty outside a step's attempt. */
  public static Map<String, String> headers(String method, URI uri) {
    EngineStepContext ctx = OffThreadAttempt.current();
    if (ctx == null) {
      return Map.of();
    }
    RunScope scope = ctx.scope();
    Map<String, String> headers = null;
    for (WorkflowListener l : scope.services.listeners()) {
      if (l instanceof RequestDecorator decorator) {
        if (headers == null) {
          headers = new LinkedHashMap<>();
        }
        var attempt =
            new StepAttempt(scope.runId, scope.workflow.name(), ctx.stepName(), ctx.attempt());
        headers.putAll(decorator.headers(attempt, method, uri));
      }
    }
    return headers == null ? Map.of() : headers;
  }

  /**
   * Reports a change of an endpoint's circuit breaker as an event of the run whose step attempt is
   * running on this thread; nothing outside a step's attempt, or once the attempt was abandoned.
   */
  public static void circuitChanged(String endpoint, String state, long openForMs) {
    EngineStepContext ctx = OffThreadAttempt.current();
    if (ctx == null || ctx.isAbandoned()) {
      return;
    }
    ctx.scope()
        .emit(
            (seq, at) ->
                new WorkflowEvent.CircuitStateChanged(
                    ctx.scope().runId,
                    seq,
                    at,
                    ctx.stepName(),
                    ctx.attempt(),
                    endpoint,
                    state,
                    openForMs));
  }
}
