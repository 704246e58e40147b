package dev.opsflow.workflow;

import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.event.WorkflowListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A listener that keeps every event, for assertions. */
final class Recorder implements WorkflowListener {
  final List<WorkflowEvent> events = new CopyOnWriteArrayList<>();

  @Override
  public void onEvent(WorkflowEvent event) {
    events.add(event);
  }

  <E extends WorkflowEvent> List<E> of(Class<E> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }
}
