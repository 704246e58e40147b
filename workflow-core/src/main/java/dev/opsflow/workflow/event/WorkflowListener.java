package dev.opsflow.workflow.event;

/**
 * Receives a run's events as they happen, on the thread that caused them (so keep it quick). A
 * listener that throws is logged and never breaks the run. Must be thread-safe: parallel steps
 * deliver events concurrently.
 */
@FunctionalInterface
public interface WorkflowListener {
  /** Called for every event. */
  void onEvent(WorkflowEvent event);
}
