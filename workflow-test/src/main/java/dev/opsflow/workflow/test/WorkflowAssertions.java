package dev.opsflow.workflow.test;

import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.event.WorkflowEvent;
import java.util.List;

/**
 * The kit's AssertJ entry points: import them statically beside AssertJ's own.
 *
 * <pre>{@code
 * assertThat(result).isCompleted().step("create-database").wasSkipped();
 * assertThat(events).areInOrder().haveNoRetries();
 * }</pre>
 */
public final class WorkflowAssertions {
  private WorkflowAssertions() {}

  /**
   * Assertions on a run's result and its steps.
   *
   * @param actual the result to check
   * @return assertions on it
   */
  public static WorkflowResultAssert assertThat(WorkflowResult actual) {
    return new WorkflowResultAssert(actual);
  }

  /**
   * Assertions on every event an {@link EventLog} received.
   *
   * @param actual the log whose events to check
   * @return assertions on its events
   */
  public static EventsAssert assertThat(EventLog actual) {
    return new EventsAssert(actual == null ? null : actual.all());
  }

  /**
   * Assertions on a list of events, such as {@code engine.events(runId)}.
   *
   * @param actual the events to check
   * @return assertions on them
   */
  public static EventsAssert assertThatEvents(List<WorkflowEvent> actual) {
    return new EventsAssert(actual);
  }
}
