package dev.opsflow.workflow.opentelemetry;

import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.event.RunAttributeSource;
import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.event.WorkflowListener;
import dev.opsflow.workflow.http.RequestDecorator;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Traces an engine's runs with OpenTelemetry: a span per run (per execution of it: a resumed run
 * gets a new span in the same trace) and a span per step attempt under it, with events for
 * sub-tasks, retries, abandoned attempts, skipped steps and compensations. One line turns it on:
 *
 * <pre>{@code
 * WorkflowEngine.builder().listener(WorkflowTracing.of(openTelemetry))
 * }</pre>
 *
 * <ul>
 *   <li>A run asked for inside a span of the host continues the host's trace, whichever thread
 *       executes it: the OpenTelemetry context current on the calling thread when it calls {@code
 *       engine.run}, {@code start}, {@code resume}, {@code recover} or {@code Batch.start} (for
 *       every item of the batch) is the parent of the run's span. Otherwise the run begins a trace
 *       of its own.
 *   <li>The run's trace context is kept in the store with the run (its {@code traceparent} and
 *       {@code tracestate} attributes), so a run resumed later, by this engine or another one after
 *       a crash, continues the same trace; its span is linked to the span of the caller that
 *       resumed it, if there was one.
 *   <li>Every HTTP request a step sends through the core's {@code JsonHttpClient} (every adapter's
 *       client) carries the W3C {@code traceparent} header of the step's attempt span, so the
 *       service called joins the trace. Headers are written by the OpenTelemetry instance's
 *       propagators, or W3C trace context when it has none; with a no-op OpenTelemetry there is no
 *       valid span and no header.
 * </ul>
 *
 * <p>Span names are low-cardinality ({@code run provision}, {@code step create-database}); ids and
 * details are attributes: {@code opsflow.workflow}, {@code opsflow.run.id}, {@code
 * opsflow.run.resumed}, {@code opsflow.run.status}, {@code opsflow.step}, {@code
 * opsflow.step.attempt}, {@code opsflow.step.retry_count} (attempts before this one), and on a
 * failure the span status ERROR with {@code error.type} (the error's kind, such as {@code api} or
 * {@code timeout}). Times are the engine's clock. Thread-safe.
 */
public final class WorkflowTracing
    implements WorkflowListener, RunAttributeSource, RequestDecorator {
  static final String TRACEPARENT = "traceparent";
  static final String TRACESTATE = "tracestate";

  static final AttributeKey<String> WORKFLOW = AttributeKey.stringKey("opsflow.workflow");
  static final AttributeKey<String> RUN_ID = AttributeKey.stringKey("opsflow.run.id");
  static final AttributeKey<Boolean> RESUMED = AttributeKey.booleanKey("opsflow.run.resumed");
  static final AttributeKey<String> STATUS = AttributeKey.stringKey("opsflow.run.status");
  static final AttributeKey<String> STEP = AttributeKey.stringKey("opsflow.step");
  static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("opsflow.step.attempt");
  static final AttributeKey<Long> RETRY_COUNT = AttributeKey.longKey("opsflow.step.retry_count");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<String> SUB_TASK = AttributeKey.stringKey("opsflow.sub_task");
  static final AttributeKey<Long> PERCENT = AttributeKey.longKey("opsflow.progress.percent");
  static final AttributeKey<Long> DELAY_MS = AttributeKey.longKey("opsflow.retry.delay_ms");
  static final AttributeKey<String> REASON = AttributeKey.stringKey("opsflow.reason");
  static final AttributeKey<Boolean> SUCCEEDED = AttributeKey.booleanKey("opsflow.succeeded");

  private final Tracer tracer;
  private final TextMapPropagator headers;
  private final Map<String, RunSpans> runs = new ConcurrentHashMap<>();

  private WorkflowTracing(OpenTelemetry openTelemetry) {
    this.tracer = openTelemetry.getTracer("dev.opsflow.workflow");
    TextMapPropagator configured = openTelemetry.getPropagators().getTextMapPropagator();
    this.headers =
        configured.fields().isEmpty() ? W3CTraceContextPropagator.getInstance() : configured;
  }

  /**
   * Tracing through {@code openTelemetry}'s tracer and propagators.
   *
   * @param openTelemetry the host's OpenTelemetry: its tracer makes the spans, its propagators
   *     write the request headers
   * @return the listener; add it to the engine
   * @throws NullPointerException if openTelemetry is null
   */
  public static WorkflowTracing of(OpenTelemetry openTelemetry) {
    return new WorkflowTracing(
        Objects.requireNonNull(openTelemetry, "openTelemetry must not be null"));
  }

  /**
   * The OpenTelemetry context current on the thread that asks for a run ({@code engine.run}, {@code
   * start}, {@code resume}, {@code recover}, {@code Batch.start}): the run's span will be its
   * child.
   *
   * @return the calling thread's current {@link Context}
   */
  @Override
  public Object captureCaller() {
    return Context.current();
  }

  /**
   * Starts the run's span, right before its RunStarted event: a child of the caller's context, or,
   * for a resumed run whose trace is kept in the store, of the first execution's span (linked to
   * the caller's span, if any).
   *
   * @param run the run that starts
   * @return the W3C trace context to keep with the run (empty when a resumed run keeps its own)
   */
  @Override
  public Map<String, String> attributes(RunStart run) {
    Context caller = run.caller() instanceof Context c ? c : Context.current();
    Context stored = run.resumed() ? Stored.extract(run.attributes()) : Context.root();
    boolean continues = Span.fromContext(stored).getSpanContext().isValid();
    var builder =
        tracer
            .spanBuilder("run " + run.workflow())
            .setParent(continues ? stored : caller)
            .setStartTimestamp(run.at())
            .setAttribute(WORKFLOW, run.workflow())
            .setAttribute(RUN_ID, run.runId())
            .setAttribute(RESUMED, run.resumed());
    SpanContext callerSpan = Span.fromContext(caller).getSpanContext();
    if (continues && callerSpan.isValid()) {
      builder.addLink(callerSpan); // who resumed it, in the trace of its own
    }
    Span span = builder.startSpan();
    RunSpans previous = runs.put(run.runId(), new RunSpans(run.workflow(), span));
    if (previous != null) {
      previous.endAll(run.at()); // an execution that never reported its end
    }
    if (continues) {
      return Map.of(); // the trace was begun by the first execution; keep pointing at it
    }
    return Stored.inject(Context.root().with(span));
  }

  @Override
  public void onEvent(WorkflowEvent event) {
    RunSpans run = runs.get(event.runId());
    if (run == null) {
      return; // began before this tracer was added
    }
    if (event instanceof WorkflowEvent.StepStarted s) {
      Span span =
          tracer
              .spanBuilder("step " + s.step())
              .setParent(Context.root().with(run.parentOf(s.step())))
              .setStartTimestamp(s.timestamp())
              .setAttribute(WORKFLOW, run.workflow)
              .setAttribute(RUN_ID, s.runId())
              .setAttribute(STEP, s.step())
              .setAttribute(ATTEMPT, (long) s.attempt())
              .setAttribute(RETRY_COUNT, (long) s.attempt() - 1)
              .startSpan();
      Span earlier = run.steps.put(s.step(), span);
      if (earlier != null) {
        earlier.end(s.timestamp());
      }
    } else if (event instanceof WorkflowEvent.StepProgress p) {
      var attributes = Attributes.builder().put(PERCENT, (long) p.percent());
      if (p.subTask() != null) {
        attributes.put(SUB_TASK, p.subTask());
      }
      run.current(p.step())
          .addEvent(
              p.subTask() != null ? "sub-task" : "progress", attributes.build(), p.timestamp());
    } else if (event instanceof WorkflowEvent.StepRetrying r) {
      Span span = run.steps.remove(r.step());
      if (span != null) {
        fail(span, lower(r.errorKind()), r.cause());
        span.addEvent(
            "retrying", Attributes.of(DELAY_MS, r.delayMs(), ERROR_TYPE, lower(r.errorKind())));
        span.end(r.timestamp());
      }
    } else if (event instanceof WorkflowEvent.StepSucceeded s) {
      Span span = run.steps.remove(s.step());
      if (span != null) {
        span.end(s.timestamp());
      }
    } else if (event instanceof WorkflowEvent.StepFailed f) {
      run.lastError = lower(f.errorKind());
      Span span = run.steps.remove(f.step());
      if (span != null) {
        fail(span, run.lastError, f.message());
        span.end(f.timestamp());
      }
    } else if (event instanceof WorkflowEvent.AttemptAbandoned a) {
      run.current(a.step())
          .addEvent("attempt abandoned", Attributes.of(REASON, a.reason()), a.timestamp());
    } else if (event instanceof WorkflowEvent.StepSkipped s) {
      run.span.addEvent(
          "step skipped", Attributes.of(STEP, s.step(), REASON, s.reason()), s.timestamp());
    } else if (event instanceof WorkflowEvent.Compensation c) {
      run.span.addEvent(
          "compensation", Attributes.of(STEP, c.step(), SUCCEEDED, c.succeeded()), c.timestamp());
    } else if (event instanceof WorkflowEvent.RunFinished f) {
      runs.remove(f.runId(), run);
      run.span.setAttribute(STATUS, lower(f.state()));
      if (f.state() != RunState.COMPLETED) {
        fail(run.span, run.lastError != null ? run.lastError : lower(f.state()), f.message());
      }
      run.endAll(f.timestamp());
    }
  }

  /** The trace context of the attempt sending the request, as headers. */
  @Override
  public Map<String, String> headers(StepAttempt attempt, String method, URI uri) {
    RunSpans run = runs.get(attempt.runId());
    if (run == null) {
      return Map.of();
    }
    var out = new LinkedHashMap<String, String>();
    headers.inject(Context.root().with(run.current(attempt.step())), out, Map::put);
    return out;
  }

  private static void fail(Span span, String errorType, String message) {
    span.setStatus(StatusCode.ERROR, message == null ? "" : message);
    span.setAttribute(ERROR_TYPE, errorType);
  }

  private static String lower(Enum<?> value) {
    return value == null ? "unknown" : value.name().toLowerCase(java.util.Locale.ROOT);
  }
}
