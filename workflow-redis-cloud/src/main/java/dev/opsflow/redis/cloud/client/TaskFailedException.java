package dev.opsflow.redis.cloud.client;

import dev.opsflow.workflow.ApiException;

/**
 * A Redis Cloud task ended in {@code processing-error}. It carries the task's id and command and
 * the API's error code ({@link #errorCode()}), status and description; never retryable, since a
 * failed request must be changed before it is sent again.
 */
public final class TaskFailedException extends ApiException {
  private static final long serialVersionUID = 1L;

  /** The failed task's id. */
  private final String taskId;

  /** The task's command type. */
  private final String commandType;

  /** The status the API gave the error, or null. */
  private final String errorStatus;

  /** The API's description of the error, or null. */
  private final String description;

  /**
   * A failure of {@code task} with its {@code error}.
   *
   * @param task the task that failed
   * @param error its error, as the task reported it
   */
  public TaskFailedException(Task task, TaskError error) {
    super(
        "TASK",
        "/tasks/" + task.taskId(),
        error.httpStatus(),
        error.code(),
        "task "
            + task.taskId()
            + " ("
            + task.commandType()
            + ") ended in processing-error"
            + (error.status() != null ? " [" + error.status() + "]" : "")
            + (error.description() != null ? ": " + error.description() : ""),
        false,
        null,
        null);
    this.taskId = task.taskId();
    this.commandType = task.commandType();
    this.errorStatus = error.status();
    this.description = error.description();
  }

  private TaskFailedException(TaskFailedException from, java.util.List<String> suggestions) {
    super(from, from.getMessage(), suggestions);
    this.taskId = from.taskId;
    this.commandType = from.commandType;
    this.errorStatus = from.errorStatus;
    this.description = from.description;
  }

  /** A copy with more suggestions appended, keeping the task and its error. */
  @Override
  public TaskFailedException withSuggestions(java.util.List<String> more) {
    return new TaskFailedException(this, appended(more));
  }

  /** {@return the task's id} */
  public String taskId() {
    return taskId;
  }

  /** {@return the task's command type} */
  public String commandType() {
    return commandType;
  }

  /** {@return the error's type (its code), as {@link #errorCode()}} */
  public String errorType() {
    return errorCode();
  }

  /** {@return the status the API gave the error ({@code "400 BAD_REQUEST"}), or null} */
  public String errorStatus() {
    return errorStatus;
  }

  /** {@return the API's description of the error, or null} */
  public String description() {
    return description;
  }
}
