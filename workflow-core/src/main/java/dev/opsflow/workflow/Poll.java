package dev.opsflow.workflow;

import java.time.Duration;
import java.util.Objects;

/**
 * What one poll of a {@link PollingStep} found: the awaited state is reached ({@link #done()}), or
 * the step should look again after a while ({@link #again(Duration)}). Immutable.
 */
public final class Poll {
  private static final Poll DONE = new Poll(null);

  private final Duration after;

  private Poll(Duration after) {
    this.after = after;
  }

  /** {@return the answer that the awaited state is reached: the step completes} */
  public static Poll done() {
    return DONE;
  }

  /**
   * Not yet: poll again after {@code after}. Between polls a run started with {@code engine.start}
   * (or in a batch) holds no thread.
   *
   * @param after the time to the next poll, positive
   * @return the answer to poll again after {@code after}
   * @throws IllegalArgumentException if {@code after} is negative
   */
  public static Poll again(Duration after) {
    Objects.requireNonNull(after, "after must not be null");
    if (after.isNegative()) {
      throw new IllegalArgumentException("after must not be negative, was " + after);
    }
    return new Poll(after);
  }

  /** {@return whether the awaited state is reached} */
  public boolean isDone() {
    return after == null;
  }

  /**
   * {@return how long to wait before the next poll}
   *
   * @throws IllegalStateException when the poll is {@link #done()}
   */
  public Duration after() {
    if (after == null) {
      throw new IllegalStateException("a done poll has no next poll");
    }
    return after;
  }

  @Override
  public String toString() {
    return after == null ? "Poll[done]" : "Poll[again after " + after + "]";
  }
}
