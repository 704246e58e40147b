package dev.opsflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AwaitTest {
  static final Key<String> STATE = Key.of("state", String.class);

  final ManualClock clock = new ManualClock();
  final WorkflowEngine engine = WorkflowEngine.builder().clock(clock).sleeper(clock).build();

  @AfterEach
  void close() {
    engine.close();
  }

  /** A fake remote task that completes after {@code doneAfter} of clock time. */
  private String taskState(java.time.Instant start, Duration doneAfter) {
    return Duration.between(start, clock.instant()).compareTo(doneAfter) >= 0
        ? "completed"
        : "running";
  }

  @Test
  void aThirtyMinutePollUnderTheManualClockFinishesInWellUnderASecond() {
    var start = clock.instant();
    var polls = new AtomicInteger();
    var wf =
        Workflow.builder("wait-task")
            .step(
                "await",
                ctx ->
                    ctx.put(
                        STATE,
                        Await.<String>on(ctx, "task 42")
                            .every(Duration.ofSeconds(5))
                            .backoff(1.5)
                            .atMost(Duration.ofMinutes(1))
                            .timeout(Duration.ofHours(1))
                            .onPoll(s -> polls.incrementAndGet())
                            .until(
                                () -> taskState(start, Duration.ofMinutes(30)),
                                "completed"::equals,
                                s -> s)))
            .step("out", ctx -> ctx.output("state", ctx.require(STATE)))
            .build();
    long t0 = System.nanoTime();

    WorkflowResult result = engine.run(wf, Map.of());

    // Every wait went through the manual clock's sleeper, none in real time: a single real wait
    // of the first interval (5 s) would show, and 50 ms is what it takes.
    assertThat(clock.totalSleptMillis())
        .isEqualTo(Duration.between(start, clock.instant()).toMillis());
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    assertThat(result.outputs()).containsEntry("state", "completed");
    assertThat(Duration.between(start, clock.instant()))
        .isBetween(Duration.ofMinutes(30), Duration.ofMinutes(31));
    assertThat(polls.get()).isBetween(30, 60);
  }

  @Test
  void aTimeoutNamesWhatWasAwaitedAndTheLastStateSeen() {
    var wf =
        Workflow.builder("stuck-task")
            .step(
                "await",
                ctx ->
                    Await.<String>on(ctx, "task 7f3e of subscription 1234")
                        .every(Duration.ofSeconds(10))
                        .timeout(Duration.ofMinutes(5))
                        .until(
                            () -> "processing-in-progress", "processing-completed"::equals, s -> s))
            .build();

    WorkflowResult result = engine.run(wf, Map.of());

    assertThat(result.error().type()).isEqualTo(ErrorKind.TIMEOUT);
    assertThat(result.error().message())
        .isEqualTo(
            "timed out after 5m waiting for task 7f3e of subscription 1234; last state seen: "
                + "processing-in-progress");
    assertThat(result.error().details())
        .containsEntry("lastState", "processing-in-progress")
        .containsEntry("awaited", "task 7f3e of subscription 1234");
  }

  @Test
  void backoffGrowsToItsCap() {
    var seen = new ArrayList<java.time.Instant>();
    var wf =
        Workflow.builder("backoff")
            .step(
                "await",
                ctx ->
                    Await.<Integer>on(ctx, "counter")
                        .every(Duration.ofSeconds(1))
                        .backoff(2)
                        .atMost(Duration.ofSeconds(8))
                        .timeout(Duration.ofMinutes(10))
                        .until(
                            () -> {
                              seen.add(clock.instant());
                              return seen.size();
                            },
                            n -> n == 7,
                            n -> n))
            .build();

    engine.run(wf, Map.of());

    List<Long> gaps = new ArrayList<>();
    for (int i = 1; i < seen.size(); i++) {
      gaps.add(Duration.between(seen.get(i - 1), seen.get(i)).toSeconds());
    }
    assertThat(gaps).containsExactly(1L, 2L, 4L, 8L, 8L, 8L);
  }

  @Test
  void aFailureStateEndsTheWaitAtOnce() {
    var wf =
        Workflow.builder("failing")
            .step(
                "await",
                ctx ->
                    Await.<String>on(ctx, "action a1")
                        .every(Duration.ofSeconds(1))
                        .timeout(Duration.ofHours(1))
                        .failWhen(s -> s.equals("failed"))
                        .until(() -> "failed", "completed"::equals, s -> s))
            .build();

    WorkflowResult result = engine.run(wf, Map.of());

    assertThat(result.error().type()).isEqualTo(ErrorKind.REMOTE_FAILURE);
    assertThat(result.error().message()).isEqualTo("action a1 ended in failure: failed");
    assertThat(clock.totalSleptMillis()).isZero();
  }

  @Test
  void retryableProbeErrorsArePolledAgainAndRetryAfterIsHonoured() {
    var calls = new AtomicInteger();
    var wf =
        Workflow.builder("limited")
            .step(
                "await",
                ctx ->
                    Await.<String>on(ctx, "task 1")
                        .every(Duration.ofSeconds(1))
                        .timeout(Duration.ofHours(1))
                        .until(
                            () -> {
                              if (calls.incrementAndGet() == 1) {
                                throw new ApiException(
                                    "GET",
                                    "/tasks/1",
                                    429,
                                    null,
                                    "slow down",
                                    true,
                                    Duration.ofSeconds(30),
                                    null);
                              }
                              return "done";
                            },
                            "done"::equals,
                            s -> s))
            .build();

    WorkflowResult result = engine.run(wf, Map.of());

    assertThat(result.success()).isTrue();
    assertThat(clock.totalSleptMillis()).isEqualTo(30_000);
  }

  @Test
  void aNonRetryableProbeErrorEndsTheWait() {
    var wf =
        Workflow.builder("auth")
            .step(
                "await",
                ctx ->
                    Await.<String>on(ctx, "task 1")
                        .until(
                            () -> {
                              throw new ApiException(
                                  "GET", "/tasks/1", 401, null, "bad key", false, null, null);
                            },
                            "done"::equals,
                            s -> s))
            .build();

    WorkflowResult result = engine.run(wf, Map.of());

    assertThat(result.error().type()).isEqualTo(ErrorKind.AUTH);
    assertThat(clock.totalSleptMillis()).isZero();
  }
}
