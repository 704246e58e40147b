package dev.opsflow.workflow;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Polls until something is ready: an asynchronous task, an action, a machine's status. The one
 * polling utility every adapter uses.
 *
 * <pre>{@code
 * Task done = Await.on(ctx, "task " + id)
 *     .every(Duration.ofSeconds(2)).backoff(1.5).atMost(Duration.ofSeconds(30))
 *     .timeout(Duration.ofMinutes(30))
 *     .until(() -> client.task(id), t -> t.isFinished(), t -> t.status());
 * }</pre>
 *
 * <p>Waits go through the step's context: they are cancellable, they respect the step's timeout,
 * and they skip time under a manual clock. A server's Retry-After (an {@link ApiException} that
 * carries one, thrown by the probe) stretches the next wait. Past the timeout, a {@link
 * StepTimeoutException} names what was awaited and the last state seen. Not thread-safe: build one
 * per wait.
 *
 * @param <T> what a probe returns
 */
public final class Await<T> {
  /**
   * Reads the current state; may throw a retryable error (it is then polled again).
   *
   * @param <T> the type of the state read
   */
  @FunctionalInterface
  public interface Probe<T> {
    /**
     * The state now; throws a retryable error to be polled again, any other to fail.
     *
     * @return the state read now
     * @throws Exception a retryable error to be polled again; any other ends the wait in failure
     */
    T read() throws Exception;
  }

  private final StepContext ctx;
  private final String what;
  private Duration interval = Duration.ofSeconds(2);
  private double backoff = 1.0;
  private Duration maxInterval = Duration.ofSeconds(30);
  private Duration timeout = Duration.ofMinutes(10);
  private Consumer<T> onPoll = t -> {};
  private Predicate<T> failure = t -> false;

  private Await(StepContext ctx, String what) {
    this.ctx = Objects.requireNonNull(ctx, "ctx must not be null");
    this.what = Objects.requireNonNull(what, "what must not be null");
  }

  /**
   * A wait inside a step for {@code what} ("bootstrap of 10.0.0.5", "task 42").
   *
   * @param <T> the type of the state polled
   * @param ctx the context of the step that waits: its clock, sleeper, cancellation and progress
   * @param what what is awaited, for messages
   * @return a wait with the default settings (every 2 s, no backoff, 10 minutes in all)
   */
  public static <T> Await<T> on(StepContext ctx, String what) {
    return new Await<>(ctx, what);
  }

  /**
   * The first interval (default 2 s).
   *
   * @param first the interval before the second poll
   * @return this wait
   */
  public Await<T> every(Duration first) {
    this.interval = positive(first, "interval");
    return this;
  }

  /**
   * Multiplies the interval by {@code factor} after each poll (default 1: fixed interval).
   *
   * @param factor the multiplier, at least 1
   * @return this wait
   * @throws IllegalArgumentException if factor &lt; 1
   */
  public Await<T> backoff(double factor) {
    if (factor < 1.0) {
      throw new IllegalArgumentException("backoff factor must be >= 1, was " + factor);
    }
    this.backoff = factor;
    return this;
  }

  /**
   * The cap of the interval (default 30 s).
   *
   * @param cap the longest interval a backoff may reach
   * @return this wait
   */
  public Await<T> atMost(Duration cap) {
    this.maxInterval = positive(cap, "maxInterval");
    return this;
  }

  /**
   * How long to wait in all (default 10 minutes).
   *
   * @param limit the time from the first poll after which the wait fails with a timeout
   * @return this wait
   */
  public Await<T> timeout(Duration limit) {
    this.timeout = positive(limit, "timeout");
    return this;
  }

  /**
   * Called with every state read: report progress from it.
   *
   * @param callback called with each state read, on the step's thread
   * @return this wait
   */
  public Await<T> onPoll(Consumer<T> callback) {
    this.onPoll = Objects.requireNonNull(callback, "callback must not be null");
    return this;
  }

  /**
   * States that end the wait in failure at once (a task in error), never waiting for the timeout.
   *
   * @param failed true for a state that will never become ready
   * @return this wait
   */
  public Await<T> failWhen(Predicate<T> failed) {
    this.failure = Objects.requireNonNull(failed, "failed must not be null");
    return this;
  }

  /**
   * Polls {@code probe} until {@code ready} holds and returns that state.
   *
   * @param probe reads the state once a poll
   * @param ready true for the state awaited
   * @param describe how to show a state in messages (the last state seen)
   * @return the first state {@code ready} accepts
   * @throws StepTimeoutException past the timeout, naming what was awaited and the last state
   * @throws WorkflowException of kind REMOTE_FAILURE when {@link #failWhen} matches
   * @throws CancelledException when the run is cancelled
   */
  public T until(Probe<T> probe, Predicate<T> ready, java.util.function.Function<T, ?> describe) {
    Instant start = ctx.clock().instant();
    Instant deadline = start.plus(timeout);
    Duration next = interval;
    T last = null;
    boolean seen = false;
    Throwable lastError = null;
    int polls = 0;
    while (true) {
      ctx.checkCancelled();
      Read<T> read = read(probe, ready, describe, next);
      if (read.ready()) {
        return read.state();
      }
      Duration wait = read.next();
      if (read.error() == null) {
        last = read.state();
        seen = true;
        lastError = null;
        polls++;
      } else {
        lastError = read.error();
      }
      Instant now = ctx.clock().instant();
      if (!now.plus(wait).isBefore(deadline.plusNanos(1))) {
        Duration left = Duration.between(now, deadline);
        if (!left.isNegative() && !left.isZero()) {
          ctx.sleep(left);
          continue;
        }
        throw timedOut(polls, seen, last, lastError, describe);
      }
      ctx.sleep(wait);
      next =
          Duration.ofMillis(
              Math.min(maxInterval.toMillis(), (long) Math.ceil(next.toMillis() * backoff)));
    }
  }

  /**
   * One poll of a {@link PollingStep}, with this wait's settings: reads {@code probe} once and
   * answers {@link Poll#done()} when {@code ready} holds, or {@link Poll#again} after the interval
   * for {@code polling.count()} (the first interval, times the backoff per poll, capped; a longer
   * Retry-After of a retryable {@link ApiException} wins). The timeout counts from {@code
   * polling.since()}, and a retryable error of the probe is polled again, as in {@link #until}.
   * Sleeps only to land on the deadline: a run started with {@code engine.start} holds no thread
   * between polls.
   *
   * @param polling which poll of the attempt this is, and since when the attempt polls (for the
   *     timeout)
   * @param probe reads the state once
   * @param ready true for the state awaited
   * @param describe how to show a state in messages
   * @return {@link Poll#done()}, or {@link Poll#again} with the next interval
   * @throws StepTimeoutException past the timeout, naming what was awaited and the state read
   * @throws WorkflowException of kind REMOTE_FAILURE when {@link #failWhen} matches
   */
  public Poll poll(
      Polling polling,
      Probe<T> probe,
      Predicate<T> ready,
      java.util.function.Function<T, ?> describe) {
    Objects.requireNonNull(polling, "polling must not be null");
    ctx.checkCancelled();
    Instant deadline = polling.since().plus(timeout);
    Duration wait = interval;
    for (int i = 1; i < polling.count() && wait.compareTo(maxInterval) < 0; i++) {
      wait =
          Duration.ofMillis(
              Math.min(maxInterval.toMillis(), (long) Math.ceil(wait.toMillis() * backoff)));
    }
    Read<T> read = read(probe, ready, describe, wait);
    if (read.ready()) {
      return Poll.done();
    }
    Instant now = ctx.clock().instant();
    if (!now.isBefore(deadline)) {
      throw timedOut(polling.count(), read.error() == null, read.state(), read.error(), describe);
    }
    Duration left = Duration.between(now, deadline);
    return Poll.again(left.compareTo(read.next()) < 0 ? left : read.next());
  }

  /**
   * One read of the probe: the state (ready or not), or the retryable error it threw and the wait
   * before the next read, stretched by a Retry-After.
   */
  private record Read<T>(T state, Throwable error, Duration next, boolean ready) {}

  private Read<T> read(
      Probe<T> probe,
      Predicate<T> ready,
      java.util.function.Function<T, ?> describe,
      Duration wait) {
    try {
      T state = probe.read();
      onPoll.accept(state);
      if (ready.test(state)) {
        return new Read<>(state, null, wait, true);
      }
      failIf(state, describe);
      return new Read<>(state, null, wait, false);
    } catch (WorkflowException e) {
      if (!e.retryable()) {
        throw e;
      }
      return new Read<>(null, e, stretched(e, wait), false);
    } catch (Exception e) {
      if (!Retries.isRetryable(e)) {
        throw e instanceof RuntimeException r ? r : Retries.classify(e);
      }
      return new Read<>(null, e, wait, false);
    }
  }

  private void failIf(T last, java.util.function.Function<T, ?> describe) {
    if (failure.test(last)) {
      throw new WorkflowException(
          ErrorKind.REMOTE_FAILURE,
          what + " ended in failure: " + describe.apply(last),
          null,
          false,
          Map.of("awaited", what, "lastState", String.valueOf(describe.apply(last))),
          java.util.List.of());
    }
  }

  private static Duration stretched(WorkflowException e, Duration wait) {
    if (e instanceof CircuitOpenException open && open.retryAfter().compareTo(wait) > 0) {
      return open.retryAfter();
    }
    if (e instanceof ApiException api) {
      Optional<Duration> after = api.retryAfter();
      if (after.isPresent() && after.get().compareTo(wait) > 0) {
        return after.get();
      }
    }
    return wait;
  }

  private StepTimeoutException timedOut(
      int polls,
      boolean seen,
      T last,
      Throwable lastError,
      java.util.function.Function<T, ?> describe) {
    var details = new LinkedHashMap<String, Object>();
    details.put("awaited", what);
    details.put("timeout", timeout.toString());
    details.put("polls", polls);
    String lastSeen = seen ? String.valueOf(describe.apply(last)) : "none";
    details.put("lastState", lastSeen);
    return new StepTimeoutException(
        "timed out after "
            + human(timeout)
            + " waiting for "
            + what
            + "; last state seen: "
            + lastSeen
            + (lastError != null ? " (last error: " + Retries.messageOf(lastError) + ")" : ""),
        details);
  }

  private static Duration positive(Duration d, String name) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be > 0, was " + d);
    }
    return d;
  }

  private static String human(Duration d) {
    long s = d.getSeconds();
    if (s >= 3600 && s % 3600 == 0) {
      return (s / 3600) + "h";
    }
    if (s >= 60 && s % 60 == 0) {
      return (s / 60) + "m";
    }
    return d.toMillis() % 1000 == 0 ? s + "s" : d.toMillis() + "ms";
  }
}
