package dev.opsflow.workflow.internal;

import dev.opsflow.workflow.http.RequestDecorator;
import dev.opsflow.workflow.http.RequestDecorator.StepAttempt;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The step attempt running on this thread, with the engine's {@link RequestDecorator}s, so the
 * core's HTTP client can decorate the requests a step sends without the step passing anything. Set
 * only when the engine has a decorator: a plain engine pays nothing per attempt.
 */
public final class CurrentAttempt {
  private static final ThreadLocal<CurrentAttempt> CURRENT = new ThreadLocal<>();

  private final StepAttempt attempt;
  private final List<RequestDecorator> decorators;

  private CurrentAttempt(StepAttempt attempt, List<RequestDecorator> decorators) {
    this.attempt = attempt;
    this.decorators = decorators;
  }

  /** Marks this thread as running {@code attempt}; returns what to restore when it ends. */
  static CurrentAttempt enter(StepAttempt attempt, List<RequestDecorator> decorators) {
    CurrentAttempt previous = CURRENT.get();
    CURRENT.set(new CurrentAttempt(attempt, decorators));
    return previous;
  }

  /** Ends the attempt entered last, restoring the enclosing one (a sub-workflow's parent step). */
  static void exit(CurrentAttempt previous) {
    if (previous == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(previous);
    }
  }

  /**
   * The headers the decorators add to a request sent on this thread now; empty outside an attempt.
   */
  public static Map<String, String> headers(String method, URI uri) {
    CurrentAttempt current = CURRENT.get();
    if (current == null) {
      return Map.of();
    }
    var headers = new LinkedHashMap<String, String>();
    for (RequestDecorator d : current.decorators) {
      headers.putAll(d.headers(current.attempt, method, uri));
    }
    return headers;
  }
}
