package dev.opsflow.workflow.opentelemetry;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trace context as a run's stored attributes: W3C trace context ({@code traceparent}, {@code
 * tracestate}) whatever the host's propagators, so any engine can read what another one kept.
 */
final class Stored {
  private static final TextMapGetter<Map<String, String>> GETTER =
      new TextMapGetter<>() {
        @Override
        public String get(Map<String, String> carrier, String key) {
          return carrier == null ? null : carrier.get(key);
        }
      };

  private Stored() {}

  /** The attributes that keep {@code context}'s span context. */
  static Map<String, String> inject(Context context) {
    var out = new LinkedHashMap<String, String>();
    W3CTraceContextPropagator.getInstance().inject(context, out, Map::put);
    return out;
  }

  /** The context kept in {@code attributes}, or the root context when none is. */
  static Context extract(Map<String, String> attributes) {
    return W3CTraceContextPropagator.getInstance().extract(Context.root(), attributes, GETTER);
  }
}
