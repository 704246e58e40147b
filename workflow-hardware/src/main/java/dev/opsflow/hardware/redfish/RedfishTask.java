package dev.opsflow.hardware.redfish;

import java.util.List;
import java.util.Set;

/**
 * A Redfish task as its monitor or Task resource shows it. Immutable.
 *
 * @param monitorUri the task monitor the service answered with (Location of the 202)
 * @param uri the Task resource, when known
 * @param id the task's id, when known
 * @param state TaskState: New, Starting, Running, Suspended, Interrupted, Pending, Stopping,
 *     Completed, Killed, Exception, Service, Cancelling, Cancelled
 * @param status TaskStatus (OK, Warning, Critical), when given
 * @param percentComplete progress, when given
 * @param messages the task's messages (their text)
 */
public record RedfishTask(
    String monitorUri,
    String uri,
    String id,
    String state,
    String status,
    Integer percentComplete,
    List<String> messages) {

  private static final Set<String> FINAL = Set.of("Completed", "Killed", "Exception", "Cancelled");
  private static final Set<String> FAILED = Set.of("Killed", "Exception", "Cancelled");

  /**
   * Copies the messages.
   *
   * @param monitorUri the task monitor the service answered with (Location of the 202)
   * @param uri the Task resource, when known
   * @param id the task's id, when known
   * @param state TaskState: New, Starting, Running, Suspended, Interrupted, Pending, Stopping,
   *     Completed, Killed, Exception, Service, Cancelling, Cancelled
   * @param status TaskStatus (OK, Warning, Critical), when given
   * @param percentComplete progress, when given
   * @param messages the task's messages (their text)
   */
  public RedfishTask {
    messages = messages == null ? List.of() : List.copyOf(messages);
  }

  /** {@return whether the task reached a final state} */
  public boolean isFinished() {
    return FINAL.contains(state);
  }

  /** {@return whether the task ended in Killed, Exception or Cancelled} */
  public boolean isFailed() {
    return FAILED.contains(state);
  }

  /**
   * {@return {@code Running 40% (OK)}, or with messages when it failed; for messages and progress}
   */
  public String describe() {
    return state
        + (percentComplete == null ? "" : " " + percentComplete + "%")
        + (status == null ? "" : " (" + status + ")")
        + (messages.isEmpty() ? "" : ": " + String.join("; ", messages));
  }
}
