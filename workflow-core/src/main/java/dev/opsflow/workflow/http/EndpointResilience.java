package dev.opsflow.workflow.http;

import dev.failsafe.Bulkhead;
import dev.failsafe.CircuitBreaker;
import dev.opsflow.workflow.CircuitOpenException;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.WorkflowException;
import dev.opsflow.workflow.internal.CurrentAttempt;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Failsafe {@link CircuitBreaker} and {@link Bulkhead} per remote endpoint ({@code
 * scheme://host:port}), shared by every {@link JsonHttpClient} whose {@link HttpSettings} carry
 * this instance, so every run that talks to one endpoint shares its breaker and its limit on
 * requests in flight. A dead endpoint then costs a few failed requests instead of every run's whole
 * retry budget, and a batch of 1,000 servers sends one MAAS no more than the bulkhead's requests at
 * once.
 *
 * <p>The breaker opens after {@link Policy#failureThreshold()} consecutive retryable failures
 * (connection errors, request timeouts, 408 and 5xx answers; a 429 shows the endpoint alive and
 * counts as a success), stays open {@link Policy#openFor()}, then lets one probe through (half
 * open): its success closes the breaker, its failure opens it again. A request refused by an open
 * breaker fails with {@link CircuitOpenException}. The bulkhead lets {@link Policy#maxInFlight()}
 * requests be in flight; the rest wait their turn up to the request timeout (and are interrupted
 * with their step at its timeout or cancel).
 *
 * <p>Every change of a breaker's state is logged (WARN when it opens, INFO otherwise), reported as
 * a {@link dev.opsflow.workflow.event.WorkflowEvent.CircuitStateChanged} event of the run whose
 * step's request caused it, and passed to the {@link #onStateChange} listeners.
 *
 * <p>{@link #shared()} is the JVM's default, used by {@link HttpSettings#of}; {@link #create} gives
 * a host or a test its own. Thread-safe.
 */
public final class EndpointResilience {
  private static final Logger LOG = LoggerFactory.getLogger(EndpointResilience.class);
  private static final EndpointResilience SHARED = new EndpointResilience(Policy.defaults());
  private static final EndpointResilience OFF = new EndpointResilience(Policy.off());

  /**
   * What the breaker and bulkhead of each endpoint do.
   *
   * @param failureThreshold consecutive retryable failures that open the breaker; 0 for no breaker
   * @param openFor how long an open breaker refuses requests before a probe
   * @param maxInFlight requests in flight to one endpoint at most; 0 for no bulkhead
   */
  public record Policy(int failureThreshold, Duration openFor, int maxInFlight) {
    /**
     * Checks the thresholds.
     *
     * @param failureThreshold consecutive retryable failures that open the breaker; 0 for no
     *     breaker
     * @param openFor how long an open breaker refuses requests before a probe
     * @param maxInFlight requests in flight to one endpoint at most; 0 for no bulkhead
     * @throws IllegalArgumentException for a negative threshold or limit, or a breaker with no
     *     positive open time
     */
    public Policy {
      if (failureThreshold < 0) {
        throw new IllegalArgumentException(
            "failureThreshold must be >= 0, was " + failureThreshold);
      }
      if (maxInFlight < 0) {
        throw new IllegalArgumentException("maxInFlight must be >= 0, was " + maxInFlight);
      }
      if (failureThreshold > 0 && (openFor == null || openFor.isZero() || openFor.isNegative())) {
        throw new IllegalArgumentException("openFor must be > 0, was " + openFor);
      }
    }

    /**
     * {@return the defaults: the breaker opens after 10 consecutive failures for 30 s; at most 64
     * requests in flight per endpoint} See docs/architecture.md for why.
     */
    public static Policy defaults() {
      return new Policy(10, Duration.ofSeconds(30), 64);
    }

    /**
     * For a large batch against one endpoint (MAAS, a BMC subnet's gateway): 16 in flight.
     *
     * @return a breaker that opens after 5 consecutive failures for 60 s, and at most 16 requests
     *     in flight per endpoint
     */
    public static Policy gentle() {
      return new Policy(5, Duration.ofSeconds(60), 16);
    }

    /** {@return no breaker and no bulkhead: every request is sent} */
    public static Policy off() {
      return new Policy(0, Duration.ofSeconds(30), 0);
    }

    /**
     * A copy whose breaker opens after {@code failures} failures for {@code open}.
     *
     * @param failures the consecutive failures that open the breaker, at least 1
     * @param open how long it stays open before a probe is let through
     * @return a copy with that breaker
     */
    public Policy withCircuitBreaker(int failures, Duration open) {
      return new Policy(failures, open, maxInFlight);
    }

    /** {@return a copy without a breaker} */
    public Policy withoutCircuitBreaker() {
      return new Policy(0, openFor, maxInFlight);
    }

    /**
     * A copy with at most {@code max} requests in flight per endpoint.
     *
     * @param max the most requests in flight per endpoint, at least 1
     * @return a copy with that bulkhead
     */
    public Policy withBulkhead(int max) {
      return new Policy(failureThreshold, openFor, max);
    }

    /** {@return a copy without a bulkhead} */
    public Policy withoutBulkhead() {
      return new Policy(failureThreshold, openFor, 0);
    }
  }

  /**
   * A change of an endpoint's breaker.
   *
   * @param endpoint {@code scheme://host:port}
   * @param state {@code OPEN}, {@code HALF_OPEN} or {@code CLOSED}
   */
  public record StateChange(String endpoint, CircuitBreaker.State state) {}

  private final Policy policy;
  private final Map<String, Guard> guards = new ConcurrentHashMap<>();
  private final List<Consumer<StateChange>> listeners = new CopyOnWriteArrayList<>();

  private EndpointResilience(Policy policy) {
    this.policy = policy;
  }

  /** {@return the JVM's shared instance, with {@link Policy#defaults()}} */
  public static EndpointResilience shared() {
    return SHARED;
  }

  /** {@return an instance that sends every request: no breaker, no bulkhead} */
  public static EndpointResilience off() {
    return OFF;
  }

  /**
   * A new instance with its own breakers and bulkheads.
   *
   * @param policy the breaker and bulkhead every endpoint gets
   * @return a new instance, shared by the clients that should share breakers
   */
  public static EndpointResilience create(Policy policy) {
    if (policy == null) {
      throw new IllegalArgumentException("policy must not be null");
    }
    return new EndpointResilience(policy);
  }

  /** {@return this instance's policy} */
  public Policy policy() {
    return policy;
  }

  /**
   * Calls {@code listener} at every change of an endpoint's breaker.
   *
   * @param listener called with the endpoint and its breaker's new state
   * @return this instance
   */
  public EndpointResilience onStateChange(Consumer<StateChange> listener) {
    listeners.add(listener);
    return this;
  }

  /**
   * The state of an endpoint's breaker ({@code CLOSED} for one never used, or with none).
   *
   * @param endpoint an endpoint as {@code scheme://host:port}
   * @return its breaker's state now
   */
  public CircuitBreaker.State state(String endpoint) {
    Guard g = guards.get(endpoint);
    return g == null || g.breaker == null ? CircuitBreaker.State.CLOSED : g.breaker.getState();
  }

  Guard guard(String endpoint) {
    if (policy.failureThreshold() == 0 && policy.maxInFlight() == 0) {
      return null;
    }
    return guards.computeIfAbsent(endpoint, this::newGuard);
  }

  private Guard newGuard(String endpoint) {
    CircuitBreaker<Object> breaker = null;
    if (policy.failureThreshold() > 0) {
      breaker =
          CircuitBreaker.builder()
              .withFailureThreshold(policy.failureThreshold())
              .withDelay(policy.openFor())
              .withSuccessThreshold(1)
              .onOpen(e -> changed(endpoint, CircuitBreaker.State.OPEN))
              .onHalfOpen(e -> changed(endpoint, CircuitBreaker.State.HALF_OPEN))
              .onClose(e -> changed(endpoint, CircuitBreaker.State.CLOSED))
              .build();
    }
    Bulkhead<Object> bulkhead =
        policy.maxInFlight() > 0 ? Bulkhead.builder(policy.maxInFlight()).build() : null;
    return new Guard(endpoint, breaker, bulkhead);
  }

  private void changed(String endpoint, CircuitBreaker.State state) {
    if (state == CircuitBreaker.State.OPEN) {
      LOG.warn(
          "circuit breaker of {} opened after {} consecutive failures: requests to it fail at once"
              + " for {} ms",
          endpoint,
          policy.failureThreshold(),
          policy.openFor().toMillis());
    } else {
      LOG.info("circuit breaker of {} is {}", endpoint, state);
    }
    CurrentAttempt.circuitChanged(
        endpoint,
        state.name(),
        state == CircuitBreaker.State.OPEN ? policy.openFor().toMillis() : 0);
    for (Consumer<StateChange> l : listeners) {
      try {
        l.accept(new StateChange(endpoint, state));
      } catch (RuntimeException e) {
        LOG.warn("breaker listener {} threw: {}", l.getClass().getName(), e.toString());
      }
    }
  }

  /** One endpoint's breaker and bulkhead. */
  static final class Guard {
    private final String endpoint;
    private final CircuitBreaker<Object> breaker;
    private final Bulkhead<Object> bulkhead;

    Guard(String endpoint, CircuitBreaker<Object> breaker, Bulkhead<Object> bulkhead) {
      this.endpoint = endpoint;
      this.breaker = breaker;
      this.bulkhead = bulkhead;
    }

    /**
     * Lets a request go: a place in the bulkhead (waiting up to {@code maxWait}), then a permit of
     * the breaker. Call {@link #after} once the request ended, whatever happened.
     *
     * @throws CircuitOpenException when the breaker is open
     * @throws WorkflowException of kind TIMEOUT when no place freed up in time
     * @throws InterruptedException when interrupted while waiting for a place
     */
    void before(Duration maxWait) throws InterruptedException {
      if (bulkhead != null && !bulkhead.tryAcquirePermit(maxWait)) {
        throw new WorkflowException(
            ErrorKind.TIMEOUT,
            "no request could be sent to "
                + endpoint
                + " within "
                + maxWait.toMillis()
                + " ms: its "
                + bulkhead.getConfig().getMaxConcurrency()
                + " places in flight (the bulkhead of EndpointResilience) stayed taken");
      }
      if (breaker != null && !breaker.tryAcquirePermit()) {
        if (bulkhead != null) {
          bulkhead.releasePermit();
        }
        Duration left = breaker.getRemainingDelay();
        throw new CircuitOpenException(endpoint, left.isNegative() ? Duration.ZERO : left);
      }
    }

    /** Records how the request went ({@code failed}: a retryable failure) and frees its place. */
    void after(boolean failed) {
      if (bulkhead != null) {
        bulkhead.releasePermit();
      }
      if (breaker != null) {
        if (failed) {
          breaker.recordFailure();
        } else {
          breaker.recordSuccess();
        }
      }
    }
  }
}
