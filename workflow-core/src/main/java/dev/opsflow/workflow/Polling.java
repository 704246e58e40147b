package dev.opsflow.workflow;

import java.time.Instant;
import java.util.Objects;

/**
 * Where the polls of a {@link PollingStep}'s attempt stand, given to each poll.
 *
 * @param count 1 for the first poll of an attempt, then 2, 3...: for a growing interval
 * @param since when the attempt's first poll began (the engine's clock): for a wait's own timeout
 */
public record Polling(int count, Instant since) {
  /**
   * Checks the count and the start.
   *
   * @param count 1 for the first poll of an attempt, then 2, 3...: for a growing interval
   * @param since when the attempt's first poll began (the engine's clock): for a wait's own timeout
   * @throws IllegalArgumentException if count &lt; 1
   */
  public Polling {
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1, was " + count);
    }
    Objects.requireNonNull(since, "since must not be null");
  }
}
