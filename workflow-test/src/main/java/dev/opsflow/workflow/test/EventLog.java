package dev.opsflow.workflow.test;

import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.event.WorkflowListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every event of the test's engine, in the order they were delivered: a test asserts on it with
 * {@link WorkflowAssertions#assertThat(EventLog)}. Thread-safe.
 */
public final class EventLog implements WorkflowListener {
  private final List<WorkflowEvent> events = new CopyOnWriteArrayList<>();

  /** An empty log; add it to an engine as a listener. */
  public EventLog() {}

  @Override
  public void onEvent(WorkflowEvent event) {
    events.add(event);
  }

  /**
   * Every event so far.
   *
   * @return the events received, in the order they were delivered
   */
  public List<WorkflowEvent> all() {
    return List.copyOf(events);
  }

  /**
   * The events of one run.
   *
   * @param runId a run's id
   * @return its events, in the order they were delivered
   */
  public List<WorkflowEvent> of(String runId) {
    return events.stream().filter(e -> e.runId().equals(runId)).toList();
  }

  /**
   * The events of one kind, such as {@code WorkflowEvent.StepRetrying.class}.
   *
   * @param <E> the kind of event
   * @param type the class of that kind
   * @return the events of that kind, in the order they were delivered
   */
  public <E extends WorkflowEvent> List<E> of(Class<E> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** Forgets every event. */
  public void clear() {
    events.clear();
  }
}
