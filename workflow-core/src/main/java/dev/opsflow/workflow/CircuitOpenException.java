package dev.opsflow.workflow;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A request was not sent because its endpoint's circuit breaker is open: the endpoint failed
 * repeatedly (connection errors, timeouts, 5xx) and is given time to recover. Of kind {@link
 * ErrorKind#CIRCUIT_OPEN}, retryable: a step's retry waits at least {@link #retryAfter()}, the
 * breaker's remaining open time, after which one request probes the endpoint again.
 */
public class CircuitOpenException extends WorkflowException {
  private static final long serialVersionUID = 1L;

  /** The endpoint whose breaker is open, as {@code scheme://host:port}. */
  private final String endpoint;

  /** How long the breaker stays open before it lets a probe through. */
  private final Duration retryAfter;

  /**
   * A request refused because the breaker of {@code endpoint} is open.
   *
   * @param endpoint the endpoint's {@code scheme://host:port}
   * @param retryAfter how long the breaker stays open
   */
  public CircuitOpenException(String endpoint, Duration retryAfter) {
    super(
        ErrorKind.CIRCUIT_OPEN,
        "the circuit breaker of "
            + endpoint
            + " is open after repeated failures: no request sent; it lets one through again in "
            + retryAfter.toMillis()
            + " ms",
        null,
        true,
        Map.of("endpoint", endpoint, "retryAfterMs", retryAfter.toMillis()),
        List.of(
            "check that "
                + endpoint
                + " is up and reachable; runs retry it by themselves once the breaker half-opens"));
    this.endpoint = endpoint;
    this.retryAfter = retryAfter;
  }

  private CircuitOpenException(CircuitOpenException e, List<String> suggestions) {
    super(e.kind(), e.getMessage(), e.getCause(), e.retryable(), e.details(), suggestions);
    this.endpoint = e.endpoint;
    this.retryAfter = e.retryAfter;
    setStackTrace(e.getStackTrace());
  }

  /** {@return the endpoint whose breaker is open, as {@code scheme://host:port}} */
  public String endpoint() {
    return endpoint;
  }

  /** {@return how long the breaker stays open before it lets a probe through} */
  public Duration retryAfter() {
    return retryAfter;
  }

  @Override
  public CircuitOpenException withSuggestions(List<String> more) {
    var all = new java.util.ArrayList<>(suggestions());
    all.addAll(more);
    return new CircuitOpenException(this, all);
  }
}
