package dev.opsflow.bench;

import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.spi.ExecutionStore;
import dev.opsflow.workflow.spi.ForwardingExecutionStore;
import dev.opsflow.workflow.spi.RunRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * A store that passes every call to another ({@link ForwardingExecutionStore}) and notes when each
 * create and commit started and ended ({@link System#nanoTime()}), for {@link
 * PostgresRoundTripBreakdown}. One run at a time.
 */
final class TimedStore extends ForwardingExecutionStore {
  private final List<long[]> calls = new ArrayList<>();
  private RunRecord last;

  TimedStore(ExecutionStore delegate) {
    super(delegate);
  }

  /** Forgets the calls noted so far. */
  synchronized void reset() {
    calls.clear();
  }

  /** {@return the start and end of each create and commit since the last reset} */
  synchronized List<long[]> calls() {
    return new ArrayList<>(calls);
  }

  /** {@return the record of the last create or commit} */
  synchronized RunRecord last() {
    return last;
  }

  private synchronized void note(long start, RunRecord run) {
    calls.add(new long[] {start, System.nanoTime()});
    last = run;
  }

  @Override
  public Created create(RunRecord run) {
    long t = System.nanoTime();
    Created c = super.create(run);
    note(t, c.run());
    return c;
  }

  @Override
  public Created createUnsynced(RunRecord run) {
    long t = System.nanoTime();
    Created c = super.createUnsynced(run);
    note(t, c.run());
    return c;
  }

  @Override
  public Created createUnsynced(RunRecord run, List<WorkflowEvent> events) {
    long t = System.nanoTime();
    Created c = super.createUnsynced(run, events);
    note(t, c.run());
    return c;
  }

  @Override
  public RunRecord commit(RunRecord run, List<WorkflowEvent> events) {
    long t = System.nanoTime();
    RunRecord r = super.commit(run, events);
    note(t, r);
    return r;
  }

  @Override
  public RunRecord commitUnsynced(RunRecord run, List<WorkflowEvent> events) {
    long t = System.nanoTime();
    RunRecord r = super.commitUnsynced(run, events);
    note(t, r);
    return r;
  }
}
