package dev.opsflow.workflow.http;

import java.net.URI;
import java.util.Map;

/**
 * Adds headers to the HTTP requests that a run's steps send through a {@link JsonHttpClient}: a
 * tracing integration adds the W3C {@code traceparent} header of the step's span, so the service
 * called joins the run's trace.
 *
 * <p>An engine uses every {@link dev.opsflow.workflow.event.WorkflowListener} it was given that
 * also implements this interface, for the requests sent on a thread while it runs a step's attempt
 * (a request sent outside a run gets no decoration). The headers are added after the client's
 * default headers and before the request's own, which win. A decorator that throws fails the
 * request. Must be thread-safe and quick: it runs before every request.
 */
@FunctionalInterface
public interface RequestDecorator {

  /**
   * The headers to add to one request.
   *
   * @param attempt the run, step and attempt sending it
   * @param method the HTTP method, upper case
   * @param uri the full URI, query included
   * @return header names and values, never null (empty: none)
   */
  Map<String, String> headers(StepAttempt attempt, String method, URI uri);

  /**
   * The step attempt that sends a request.
   *
   * @param runId the run's id
   * @param workflow the workflow's name
   * @param step the step's name ({@code parent/child} in a sub-workflow, {@code group[i]} for an
   *     item of a parallel group)
   * @param attempt the attempt's number, from 1
   */
  record StepAttempt(String runId, String workflow, String step, int attempt) {}
}
