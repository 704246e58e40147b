package dev.opsflow.workflow.event;

/**
 * Receives a run's events as they happen, on the thread that caused them (so keep it quick). A
 * listener that throws is logged and never breaks the run. Must be thread-safe: parallel steps
 * deliver events concurrently.
 */
@FunctionalInterface
public interface WorkflowListener {
  /**
   * Called for every event.
   *
   * @param event what happened; a run's events come in their journal's order
   */
  void onEvent(WorkflowEvent event);
}
