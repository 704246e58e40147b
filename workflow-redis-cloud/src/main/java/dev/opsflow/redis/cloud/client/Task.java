package dev.opsflow.redis.cloud.client;

import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * An asynchronous task of the Redis Cloud API ({@code TaskStateUpdate}): every POST, PUT and DELETE
 * answers one, and {@code GET /tasks/{taskId}} follows it through {@code initialized}, {@code
 * received}, {@code processing-in-progress} to {@code processing-completed} or {@code
 * processing-error}. Immutable.
 *
 * @param taskId the task's id (a UUID)
 * @param commandType what was asked ({@code subscriptionCreateRequest}, ...)
 * @param status the task's status
 * @param description what the API says about it
 * @param timestamp when it last changed, as the API wrote it
 * @param response the outcome, once there is one
 */
public record Task(
    String taskId,
    String commandType,
    String status,
    String description,
    String timestamp,
    TaskResponse response) {

  /** The status of a task that has done its work. */
  public static final String COMPLETED = "processing-completed";

  /** The status of a task that failed. */
  public static final String ERROR = "processing-error";

  /** {@return whether the task completed} */
  public boolean isCompleted() {
    return COMPLETED.equals(status);
  }

  /** {@return whether the task ended in error} */
  public boolean isFailed() {
    return ERROR.equals(status);
  }

  /** {@return whether the task ended, either way} */
  public boolean isFinished() {
    return isCompleted() || isFailed();
  }

  /** {@return the id of the resource the task created or changed ({@code response.resourceId})} */
  public Optional<Long> resourceId() {
    return response == null ? Optional.empty() : Optional.ofNullable(response.resourceId());
  }

  /** {@return the error of a failed task, read from a string code or an object} */
  public Optional<TaskError> error() {
    return response == null ? Optional.empty() : TaskError.from(response.error());
  }

  /** {@return the task as shown in messages: id and status} */
  public String summary() {
    return "task " + taskId + " (" + commandType + ") is " + status;
  }

  /**
   * The outcome of a task ({@code ProcessorResponse}).
   *
   * @param resourceId the id of the resource created or changed
   * @param additionalResourceId a second id (the database's subscription, ...)
   * @param resource what the task produced, when it produced data (a list of VPC peerings)
   * @param error the error: a string code, or an object with {@code type}, {@code status}, {@code
   *     description}
   * @param additionalInfo free text
   */
  public record TaskResponse(
      Long resourceId,
      Long additionalResourceId,
      JsonNode resource,
      JsonNode error,
      String additionalInfo) {}
}
