package dev.opsflow.workflow.opentelemetry;

import io.opentelemetry.api.trace.Span;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The spans open for one execution of a run: the run's, and one per step attempt in flight. */
final class RunSpans {
  final String workflow;
  final Span span;

  /** The attempt span of each step in flight, by step name (parallel items run at once). */
  final Map<String, Span> steps = new ConcurrentHashMap<>();

  /** The error kind of the last step that failed for good, for the run's {@code error.type}. */
  volatile String lastError;

  RunSpans(String workflow, Span span) {
    this.workflow = workflow;
    this.span = span;
  }

  /**
   * The span a new attempt of {@code step} belongs under: the enclosing step's ({@code setup} for
   * {@code setup/probe}, {@code probe} for {@code probe[2]}) while it runs, else the run's.
   */
  Span parentOf(String step) {
    for (int i = step.length() - 1; i > 0; i--) {
      char c = step.charAt(i);
      if (c == '/' || c == '[') {
        Span enclosing = steps.get(step.substring(0, i));
        if (enclosing != null) {
          return enclosing;
        }
      }
    }
    return span;
  }

  /** The span of {@code step}'s attempt in flight, or the span it would belong under. */
  Span current(String step) {
    Span attempt = steps.get(step);
    return attempt != null ? attempt : parentOf(step);
  }

  /** Ends every span still open, the run's last. */
  void endAll(Instant at) {
    for (Span s : steps.values()) {
      s.end(at);
    }
    steps.clear();
    span.end(at);
  }
}
