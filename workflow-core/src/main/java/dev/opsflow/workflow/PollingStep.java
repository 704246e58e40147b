package dev.opsflow.workflow;

/**
 * A step that waits for something by polling it (an asynchronous task, a machine's status, a power
 * cycle), written as one poll at a time rather than as a loop, so that the engine need not hold a
 * thread while it waits.
 *
 * <pre>{@code
 * Step waitReady = Step.poll("wait-ready", (ctx, polling) -> {
 *   Machine m = maas.machine(ctx.require(SYSTEM_ID));
 *   ctx.subTask("status " + m.statusName());
 *   if (m.isReady()) return Poll.done();
 *   if (m.isFailed()) throw new WorkflowException(ErrorKind.REMOTE_FAILURE, m.statusMessage());
 *   return Poll.again(Duration.ofSeconds(Math.min(30, 2L * polling.count())));
 * });
 * }</pre>
 *
 * <p>{@link Await#poll} makes one poll of an {@code Await} (interval, backoff, cap, its own timeout
 * counted from {@link Polling#since()}, failure states, Retry-After):
 *
 * <pre>{@code
 * Step.poll("wait-task", (ctx, polling) -> Await.<Task>on(ctx, "task " + id)
 *     .every(Duration.ofSeconds(2)).backoff(1.5).timeout(Duration.ofMinutes(30))
 *     .failWhen(Task::failed)
 *     .poll(polling, () -> client.task(id), Task::done, Task::status));
 * }</pre>
 *
 * <p>In a run started with {@link WorkflowEngine#start} (batch items included) a top-level polling
 * step releases its thread between polls: the engine schedules the next poll on its timer, so
 * thousands of waiting runs need no thread each, on JDK 17 as on virtual threads. In {@link
 * WorkflowEngine#run} (the caller's thread), inside a sub-workflow or a parallel group, and under a
 * sleeper other than {@link dev.opsflow.workflow.spi.Sleeper#system()}, it polls in place: {@link
 * #run} loops, sleeping through {@link StepContext#sleep}. Both ways behave the same: the step's
 * timeout bounds all the polls of an attempt (a wait past it fails as TIMEOUT), a poll that throws
 * ends the attempt (the retry policy decides on another, which starts polling afresh with {@code
 * count} 1), and a cancel ends the wait at once.
 */
public interface PollingStep extends Step {

  /** One poll, as a lambda. */
  @FunctionalInterface
  interface Poller {
    /**
     * Looks once.
     *
     * @param ctx the step's context
     * @param polling which poll of the attempt this is, and since when the attempt polls
     * @return done, or when to look again
     * @throws Exception a failure of the attempt; the engine decides on a retry
     */
    Poll poll(StepContext ctx, Polling polling) throws Exception;
  }

  /**
   * Looks once: returns {@link Poll#done()} when the awaited state is reached, or {@link
   * Poll#again} with the time to the next poll. Throwing ends the attempt.
   *
   * @param ctx the step's context
   * @param polling which poll of the attempt this is, and since when the attempt polls
   * @return {@link Poll#done()}, or {@link Poll#again} with the time to the next poll
   * @throws Exception a failure of the attempt; the engine decides on a retry
   */
  Poll poll(StepContext ctx, Polling polling) throws Exception;

  /** Polls in place until done: the engine calls this where it cannot release the thread. */
  @Override
  default void run(StepContext ctx) throws Exception {
    java.time.Instant since = ctx.clock().instant();
    for (int count = 1; ; count++) {
      Poll poll = poll(ctx, new Polling(count, since));
      if (poll == null) {
        throw new IllegalStateException("step '" + name() + "' polled null instead of a Poll");
      }
      if (poll.isDone()) {
        return;
      }
      ctx.sleep(poll.after());
    }
  }
}
