package dev.opsflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.testing.ManualClock;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RetryTest {
  final ManualClock clock = new ManualClock();
  final Recorder recorder = new Recorder();
  final WorkflowEngine engine =
      WorkflowEngine.builder().clock(clock).sleeper(clock).listener(recorder).build();
  final StepOptions fiveTries =
      StepOptions.defaults()
          .withRetry(Retries.exponential(5, Duration.ofSeconds(1), Duration.ofSeconds(8)));

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void retriesTransientErrorsThenSucceeds() {
    var calls = new AtomicInteger();
    var wf =
        Workflow.builder("flaky")
            .step(
                "call",
                ctx -> {
                  if (calls.incrementAndGet() < 3) {
                    throw new ConnectException("connection refused");
                  }
                },
                fiveTries)
            .build();

    WorkflowResult result = engine.run(wf, Map.of());

    assertThat(result.success()).isTrue();
    assertThat(calls).hasValue(3);
    assertThat(result.steps().get(0).attempts()).isEqualTo(3);
    var retries = recorder.of(WorkflowEvent.StepRetrying.class);
    assertThat(retries).extracting(WorkflowEvent.StepRetrying::attempt).containsExactly(1, 2);
    assertThat(retries)
        .allSatisfy(
            r -> {
              assertThat(r.errorKind()).isEqualTo(ErrorKind.CONNECTION);
              assertThat(r.cause()).contains("connection refused");
            });
    // Exponential backoff with 25% jitter: ~1 s, then ~2 s.
    assertThat(retries.get(0).delayMs()).isBetween(750L, 1250L);
    assertThat(retries.get(1).delayMs()).isBetween(1500L, 2500L);
    assertThat(clock.totalSleptMillis())
        .isEqualTo(retries.get(0).delayMs() + retries.get(1).delayMs());
  }

  @Test
  void backoffIsCappedAtTheMaximumDelay() {
    var wf =
        Workflow.builder("capped")
            .step(
                "call",
                ctx -> {
                  throw new IOException("down");
                },
                StepOptions.defaults()
                    .withRetry(
                        Retries.exponential(7, Duration.ofSeconds(1), Duration.ofSeconds(4))))
            .build();

    WorkflowResult result = engine.run(wf, Map.of());

    assertThat(result.status()).isEqualTo(RunState.FAILED);
    assertThat(result.steps().get(0).attempts()).isEqualTo(7);
    assertThat(recorder.of(WorkflowEvent.StepRetrying.class))
        .extracting(WorkflowEvent.StepRetrying::delayMs)
        .allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(5000L));
  }

  @Test
  void validationErrorsFailAtOnceWithoutRetry() {
    var calls = new AtomicInteger();
    var wf =
        Workflow.builder("strict")
            .step(
                "call",
                ctx -> {
                  calls.incrementAndGet();
                  throw new ValidationException("input 'port': '99999' is not a port (1-65535)");
                },
                fiveTries)
            .build();

    WorkflowResult result = engine.run(wf, Map.of());

    assertThat(calls).hasValue(1);
    assertThat(result.error().type()).isEqualTo(ErrorKind.VALIDATION);
    assertThat(result.error().retryable()).isFalse();
    assertThat(recorder.of(WorkflowEvent.StepRetrying.class)).isEmpty();
  }

  @Test
  void apiErrorsAreRetriedOnlyWhenMarkedRetryable() {
    var calls = new AtomicInteger();
    var wf =
        Workflow.builder("api")
            .step(
                "call",
                ctx -> {
                  calls.incrementAndGet();
                  throw new ApiException(
                      "POST",
                      "/v1/bdbs",
                      401,
                      "unauthorized",
                      "bad credentials",
                      false,
                      null,
                      null);
                },
                fiveTries)
            .build();

    WorkflowResult result = engine.run(wf, Map.of());

    assertThat(calls).hasValue(1);
    assertThat(result.error().type()).isEqualTo(ErrorKind.AUTH);
    assertThat(result.error().message()).contains("POST /v1/bdbs answered 401");
  }

  @Test
  void retryAfterFromTheServerStretchesTheDelay() {
    var calls = new AtomicInteger();
    var wf =
        Workflow.builder("limited")
            .step(
                "call",
                ctx -> {
                  if (calls.incrementAndGet() == 1) {
                    throw new ApiException(
                        "GET",
                        "/tasks/1",
                        429,
                        null,
                        "rate limited",
                        true,
                        Duration.ofSeconds(60),
                        null);
                  }
                },
                fiveTries)
            .build();

    WorkflowResult result = engine.run(wf, Map.of());

    assertThat(result.success()).isTrue();
    assertThat(recorder.of(WorkflowEvent.StepRetrying.class))
        .singleElement()
        .extracting(WorkflowEvent.StepRetrying::delayMs)
        .isEqualTo(60_000L);
  }

  @Test
  void retryAfterSurvivesSuggestionsAStepAddedToTheError() {
    var calls = new AtomicInteger();
    var limited =
        new ApiException(
            "GET",
            "/v1/bdbs",
            429,
            "rate_limited",
            "slow down",
            true,
            Duration.ofSeconds(45),
            null);
    var wf =
        Workflow.builder("limited")
            .step(
                "call",
                ctx -> {
                  if (calls.incrementAndGet() == 1) {
                    throw limited.withSuggestions(List.of("check the cluster's API rate limit"));
                  }
                },
                fiveTries)
            .build();

    WorkflowResult result = engine.run(wf, Map.of());

    assertThat(result.success()).isTrue();
    assertThat(recorder.of(WorkflowEvent.StepRetrying.class))
        .singleElement()
        .extracting(WorkflowEvent.StepRetrying::delayMs)
        .isEqualTo(45_000L);
  }

  @Test
  void anApiExceptionWithSuggestionsIsStillThatApiException() {
    var cause = new IOException("reset");
    var original =
        new ApiException(
            "PUT", "/v1/cluster", 503, "busy", "try later", true, Duration.ofSeconds(5), cause);

    ApiException copy = original.withSuggestions(List.of("wait for the cluster"));

    assertThat(copy.getMessage()).isEqualTo(original.getMessage());
    assertThat(copy.getCause()).isSameAs(cause);
    assertThat(copy.kind()).isEqualTo(ErrorKind.API);
    assertThat(copy.retryable()).isTrue();
    assertThat(copy.status()).isEqualTo(503);
    assertThat(copy.errorCode()).isEqualTo("busy");
    assertThat(copy.method()).isEqualTo("PUT");
    assertThat(copy.path()).isEqualTo("/v1/cluster");
    assertThat(copy.retryAfter()).contains(Duration.ofSeconds(5));
    assertThat(copy.details()).isEqualTo(original.details());
    assertThat(copy.suggestions()).containsExactly("wait for the cluster");
    assertThat(copy.withSuggestions(List.of("then retry")).suggestions())
        .containsExactly("wait for the cluster", "then retry");
  }

  @Test
  void unknownExceptionsAreNotRetried() {
    var calls = new AtomicInteger();
    var wf =
        Workflow.builder("bug")
            .step(
                "call",
                ctx -> {
                  calls.incrementAndGet();
                  throw new NullPointerException("oops");
                },
                fiveTries)
            .build();

    WorkflowResult result = engine.run(wf, Map.of());

    assertThat(calls).hasValue(1);
    assertThat(result.error().type()).isEqualTo(ErrorKind.STEP_FAILED);
  }

  @Test
  void anErrorThrownByAStepFailsTheRunWithoutBreakingTheEngine() {
    var wf =
        Workflow.builder("error")
            .step(
                "boom",
                ctx -> {
                  throw new AssertionError("invariant broken");
                })
            .build();

    WorkflowResult result = engine.run(wf, Map.of());

    assertThat(result.status()).isEqualTo(RunState.FAILED);
    assertThat(result.error().message()).contains("invariant broken");
    assertThat(
            engine.run(Workflow.builder("next").step("ok", ctx -> {}).build(), Map.of()).success())
        .isTrue();
  }
}
