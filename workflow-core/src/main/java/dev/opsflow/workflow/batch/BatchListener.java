package dev.opsflow.workflow.batch;

/**
 * Receives a batch's events. Events of one batch are delivered one at a time, in sequence order, on
 * whichever batch or engine thread caused them, so keep it quick; a listener that throws is logged
 * and never disturbs the batch. The batch's result is given ({@link BatchRun#await()}) only after
 * its listeners received {@code batch-finished}, so never await it in a listener. The events of
 * each item's run go to the engine's {@link dev.opsflow.workflow.event.WorkflowListener}s as usual.
 */
@FunctionalInterface
public interface BatchListener {
  /**
   * Called for every event of the batch.
   *
   * @param event what happened; listeners are told in the batch's order
   */
  void onEvent(BatchEvent event);
}
