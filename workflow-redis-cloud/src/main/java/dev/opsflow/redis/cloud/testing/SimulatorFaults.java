package dev.opsflow.redis.cloud.testing;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Faults a test injects into a {@link RedisCloudSimulator}: error answers, 429 storms, latency,
 * dropped connections, tasks that end in {@code processing-error} and tasks that never finish. Each
 * fault applies to the next requests or tasks and is used up by them. Thread-safe.
 */
public final class SimulatorFaults {
  private int errorCount;
  private int errorStatus;
  private int throttleCount;
  private Duration throttleRetryAfter = Duration.ofSeconds(1);
  private int dropCount;
  private Duration latency = Duration.ZERO;
  private final Deque<Object[]> taskErrors = new ArrayDeque<>();
  private int stuckTasks;
  private boolean syncsStuck;

  SimulatorFaults() {}

  /**
   * The next {@code count} requests answer {@code status} (a 5xx, say) and do nothing.
   *
   * @param count how many requests it applies to
   * @param status the HTTP status to answer
   * @return these faults, to chain more
   */
  public synchronized SimulatorFaults failNextRequests(int count, int status) {
    this.errorCount = count;
    this.errorStatus = status;
    return this;
  }

  /**
   * The next {@code count} requests answer 429 with {@code x-rate-limit-retry-after-seconds} of
   * {@code retryAfter} (a storm of rate limiting).
   *
   * @param count how many requests it applies to
   * @param retryAfter the wait the answers ask for
   * @return these faults, to chain more
   */
  public synchronized SimulatorFaults throttleNextRequests(int count, Duration retryAfter) {
    this.throttleCount = count;
    this.throttleRetryAfter = retryAfter;
    return this;
  }

  /**
   * The next {@code count} requests get their connection closed without an answer.
   *
   * @param count how many requests it applies to
   * @return these faults, to chain more
   */
  public synchronized SimulatorFaults dropNextConnections(int count) {
    this.dropCount = count;
    return this;
  }

  /**
   * Every answer is delayed this long in real time (zero: none).
   *
   * @param delay the real time each answer waits, or ZERO for none
   * @return these faults, to chain more
   */
  public synchronized SimulatorFaults latency(Duration delay) {
    this.latency = delay;
    return this;
  }

  /**
   * The next task ends in {@code processing-error} with this code, its {@code response.error} an
   * object {@code {type, status, description}}.
   *
   * @param code the error code the task reports
   * @param description the error's description
   * @return these faults, to chain more
   */
  public synchronized SimulatorFaults failNextTask(String code, String description) {
    return failNextTask(null, code, description);
  }

  /**
   * The next task of {@code commandType} ({@code databaseCreateRequest}, {@code
   * vpcPeeringCreateRequest}, ...; null: any) ends in {@code processing-error} with this code.
   *
   * @param commandType the command type of the task that fails
   * @param code the error code the task reports
   * @param description the error's description
   * @return these faults, to chain more
   */
  public synchronized SimulatorFaults failNextTask(
      String commandType, String code, String description) {
    taskErrors.add(
        new Object[] {
          commandType, new SimTask.ErrorSpec(code, "400 BAD_REQUEST", description, false)
        });
    return this;
  }

  /**
   * The next task ends in {@code processing-error} with {@code response.error} the bare code.
   *
   * @param code the error code the task reports
   * @return these faults, to chain more
   */
  public synchronized SimulatorFaults failNextTaskWithCode(String code) {
    taskErrors.add(new Object[] {null, new SimTask.ErrorSpec(code, null, null, true)});
    return this;
  }

  /**
   * The next task stays {@code processing-in-progress} forever (it does not block the queue).
   *
   * @return these faults
   */
  public synchronized SimulatorFaults stickNextTask() {
    stuckTasks++;
    return this;
  }

  /** Removes every pending fault. */
  public synchronized void clear() {
    errorCount = 0;
    throttleCount = 0;
    dropCount = 0;
    latency = Duration.ZERO;
    taskErrors.clear();
    stuckTasks = 0;
  }

  synchronized Duration latency() {
    return latency;
  }

  synchronized boolean takeDrop() {
    if (dropCount > 0) {
      dropCount--;
      return true;
    }
    return false;
  }

  synchronized Duration takeThrottle() {
    if (throttleCount > 0) {
      throttleCount--;
      return throttleRetryAfter;
    }
    return null;
  }

  synchronized int takeError() {
    if (errorCount > 0) {
      errorCount--;
      return errorStatus;
    }
    return 0;
  }

  synchronized SimTask.ErrorSpec takeTaskError(String commandType) {
    for (var it = taskErrors.iterator(); it.hasNext(); ) {
      Object[] entry = it.next();
      if (entry[0] == null || entry[0].equals(commandType)) {
        it.remove();
        return (SimTask.ErrorSpec) entry[1];
      }
    }
    return null;
  }

  /**
   * Replica Of syncs configured from now on never connect to their source (the target keeps its own
   * data), until {@link #syncsComplete()}.
   *
   * @return these faults, to chain more
   */
  public synchronized SimulatorFaults syncsNeverComplete() {
    syncsStuck = true;
    return this;
  }

  /**
   * Replica Of syncs configured from now on connect again.
   *
   * @return these faults, to chain more
   */
  public synchronized SimulatorFaults syncsComplete() {
    syncsStuck = false;
    return this;
  }

  synchronized boolean syncsStuck() {
    return syncsStuck;
  }

  synchronized boolean takeStuckTask() {
    if (stuckTasks > 0) {
      stuckTasks--;
      return true;
    }
    return false;
  }
}
