package dev.opsflow.workflow.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.failsafe.CircuitBreaker;
import dev.opsflow.workflow.CircuitOpenException;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Retries;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.StepOptions;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.WorkflowRun;
import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.testing.ManualClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Per-endpoint circuit breaker and bulkhead, counted at a real HTTP server on loopback: a dead
 * endpoint costs a few requests instead of every run's retry budget, and a bulkhead holds a batch
 * to its limit of requests in flight.
 */
class EndpointResilienceTest {
  private HttpServer server;
  private ExecutorService serverThreads;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private volatile int status = 503;
  private volatile long holdMillis;

  /** When 0 or more: the first this many requests answer 503, later ones 200. */
  private volatile int failuresBeforeSuccess = -1;

  @BeforeEach
  void startServer() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
    serverThreads = Executors.newCachedThreadPool();
    server.setExecutor(serverThreads);
    server.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          int now = inFlight.incrementAndGet();
          maxInFlight.accumulateAndGet(now, Math::max);
          try {
            if (holdMillis > 0) {
              Thread.sleep(holdMillis);
            }
            byte[] body = "{}".getBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            int answer =
                failuresBeforeSuccess < 0
                    ? status
                    : requests.get() <= failuresBeforeSuccess ? 503 : 200;
            exchange.sendResponseHeaders(answer, body.length);
            exchange.getResponseBody().write(body);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            inFlight.decrementAndGet();
            exchange.close();
          }
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
    serverThreads.shutdownNow();
  }

  private HttpSettings settings(EndpointResilience resilience) {
    return HttpSettings.of("http://127.0.0.1:" + server.getAddress().getPort())
        .withResilience(resilience);
  }

  private static Workflow callingWorkflow(JsonHttpClient client) {
    return Workflow.builder("call-endpoint")
        .step(
            "call",
            ctx -> client.get("/api/thing", Map.class),
            StepOptions.defaults()
                .withRetry(Retries.exponential(3, Duration.ofSeconds(1), Duration.ofSeconds(4))))
        .build();
  }

  private List<WorkflowResult> runSequentially(Workflow wf, int runs, List<WorkflowEvent> events) {
    var clock = new ManualClock();
    var results = new ArrayList<WorkflowResult>();
    try (var engine =
        WorkflowEngine.builder().clock(clock).sleeper(clock).listener(events::add).build()) {
      for (int i = 0; i < runs; i++) {
        results.add(engine.run(wf, Map.of()));
      }
    }
    return results;
  }

  @Test
  void aDeadEndpointOpensTheBreakerAndHundredRunsFailFast() {
    var changes = new CopyOnWriteArrayList<EndpointResilience.StateChange>();
    var resilience =
        EndpointResilience.create(
                EndpointResilience.Policy.defaults().withCircuitBreaker(5, Duration.ofSeconds(30)))
            .onStateChange(changes::add);
    var events = new CopyOnWriteArrayList<WorkflowEvent>();

    List<WorkflowResult> results =
        runSequentially(callingWorkflow(JsonHttpClient.create(settings(resilience))), 100, events);

    // 5 failures open the breaker; the runs' other 295 attempts send nothing.
    assertThat(requests).hasValue(5);
    assertThat(results).allMatch(r -> r.status() == RunState.FAILED);
    assertThat(results.get(99).error().type()).isEqualTo(ErrorKind.CIRCUIT_OPEN);
    assertThat(results.get(99).error().message())
        .contains("127.0.0.1:" + server.getAddress().getPort())
        .contains("circuit breaker");
    assertThat(changes)
        .extracting(EndpointResilience.StateChange::state)
        .containsExactly(CircuitBreaker.State.OPEN);
    String endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
    assertThat(resilience.state(endpoint)).isEqualTo(CircuitBreaker.State.OPEN);
    // The change is an event of the run whose request opened the breaker: the second run's
    // second attempt sent the fifth failed request.
    assertThat(events)
        .filteredOn(e -> e instanceof WorkflowEvent.CircuitStateChanged)
        .singleElement()
        .satisfies(
            e -> {
              var c = (WorkflowEvent.CircuitStateChanged) e;
              assertThat(c.runId()).isEqualTo(results.get(1).runId());
              assertThat(c.step()).isEqualTo("call");
              assertThat(c.attempt()).isEqualTo(2);
              assertThat(c.endpoint()).isEqualTo(endpoint);
              assertThat(c.state()).isEqualTo("OPEN");
              assertThat(c.openForMs()).isEqualTo(30_000);
            });
    // A retry after an open circuit waits the breaker's remaining open time, not the backoff.
    assertThat(events)
        .filteredOn(
            e ->
                e instanceof WorkflowEvent.StepRetrying r
                    && r.errorKind() == ErrorKind.CIRCUIT_OPEN)
        .isNotEmpty()
        .allMatch(e -> ((WorkflowEvent.StepRetrying) e).delayMs() > 20_000);
  }

  @Test
  void withoutABreakerEveryRunSpendsItsWholeRetryBudget() {
    runSequentially(
        callingWorkflow(JsonHttpClient.create(settings(EndpointResilience.off()))),
        100,
        new ArrayList<>());

    assertThat(requests).hasValue(300);
  }

  @Test
  void aSuccessfulProbeClosesTheBreaker() throws Exception {
    var resilience =
        EndpointResilience.create(
            EndpointResilience.Policy.off().withCircuitBreaker(2, Duration.ofMillis(200)));
    var client = JsonHttpClient.create(settings(resilience));
    String endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> client.get("/x", Map.class))
          .hasFieldOrPropertyWithValue("kind", ErrorKind.API);
    }
    assertThatThrownBy(() -> client.get("/x", Map.class)).isInstanceOf(CircuitOpenException.class);
    status = 200;
    // The breaker's open time is real time (Failsafe's own): ask until it lets a probe through.
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    Map<?, ?> answer = null;
    while (answer == null) {
      try {
        answer = client.get("/x", Map.class);
      } catch (CircuitOpenException stillOpen) {
        assertThat(System.nanoTime()).as("the breaker half-opens in time").isLessThan(end);
        Thread.sleep(20);
      }
    }

    assertThat(answer).isEmpty();
    assertThat(resilience.state(endpoint)).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(requests).hasValue(3);
  }

  @Test
  void aRunSeesTheBreakerOpenHalfOpenAndCloseAsEvents() {
    failuresBeforeSuccess = 2;
    var resilience =
        EndpointResilience.create(
            EndpointResilience.Policy.off().withCircuitBreaker(2, Duration.ofMillis(100)));
    var client = JsonHttpClient.create(settings(resilience));
    var wf =
        Workflow.builder("call-until-up")
            .step(
                "call",
                ctx -> client.get("/api/thing", Map.class),
                StepOptions.defaults()
                    .withRetry(
                        Retries.exponential(6, Duration.ofMillis(10), Duration.ofMillis(20))))
            .build();
    var events = new CopyOnWriteArrayList<WorkflowEvent>();
    WorkflowResult result;
    // The real clock: the breaker's open time is Failsafe's, and the retry waits it out.
    try (var engine = WorkflowEngine.builder().listener(events::add).build()) {
      result = engine.run(wf, Map.of());
    }

    assertThat(result.status()).isEqualTo(RunState.COMPLETED);
    assertThat(events)
        .filteredOn(e -> e instanceof WorkflowEvent.CircuitStateChanged)
        .extracting(e -> ((WorkflowEvent.CircuitStateChanged) e).state())
        .containsExactly("OPEN", "HALF_OPEN", "CLOSED");
    assertThat(requests).hasValue(3);
  }

  @Test
  void aRateLimitedAnswerDoesNotCountAsAFailure() {
    status = 429;
    var resilience =
        EndpointResilience.create(
            EndpointResilience.Policy.off().withCircuitBreaker(2, Duration.ofSeconds(30)));
    var client = JsonHttpClient.create(settings(resilience));

    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> client.get("/x", Map.class))
          .hasFieldOrPropertyWithValue("kind", ErrorKind.API);
    }

    assertThat(requests).hasValue(5);
  }

  @Test
  void aBulkheadOfTenKeepsABatchOfTwoHundredAtTenRequestsInFlight() throws Exception {
    status = 200;
    holdMillis = 20;
    int limited =
        runConcurrently(
            EndpointResilience.create(EndpointResilience.Policy.off().withBulkhead(10)));
    int reached = maxInFlight.get();
    maxInFlight.set(0);
    int unlimited = runConcurrently(EndpointResilience.off());

    assertThat(limited).isEqualTo(200);
    assertThat(reached).isLessThanOrEqualTo(10).isGreaterThan(1);
    // The same batch without the bulkhead goes past it: the bound above is the bulkhead's.
    assertThat(unlimited).isEqualTo(200);
    assertThat(maxInFlight.get()).isGreaterThan(10);
  }

  /** Starts 200 runs at once, each making one request; returns how many completed. */
  private int runConcurrently(EndpointResilience resilience) throws Exception {
    var client = JsonHttpClient.create(settings(resilience));
    var wf =
        Workflow.builder("batch-call").step("call", ctx -> client.get("/x", Map.class)).build();
    try (var engine = WorkflowEngine.builder().build()) {
      var runs = new ArrayList<WorkflowRun>();
      for (int i = 0; i < 200; i++) {
        runs.add(engine.start(wf, Map.of()));
      }
      int completed = 0;
      for (WorkflowRun run : runs) {
        if (run.await(Duration.ofSeconds(60)).status() == RunState.COMPLETED) {
          completed++;
        }
      }
      return completed;
    }
  }
}
