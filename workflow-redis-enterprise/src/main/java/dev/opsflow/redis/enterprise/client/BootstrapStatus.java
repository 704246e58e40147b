package dev.opsflow.redis.enterprise.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The {@code bootstrap_status} object of {@code GET /v1/bootstrap}.
 *
 * <p>States: {@code idle}, {@code initiated}, {@code creating_cluster}, {@code recovering_cluster},
 * {@code joining_cluster}, {@code error}, {@code completed} (older versions also say {@code
 * in_progress}). Only {@code idle} and {@code error} may start a bootstrap; the others in between
 * mean one is running. Immutable.
 *
 * @param state the bootstrap state
 * @param startTime when the bootstrap started, or null
 * @param endTime when it ended, or null
 * @param errorCode why it failed ({@code config_error}, {@code invalid_license}, ...), or null
 * @param errorDetails the failure's details ({@code message}, ...), or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BootstrapStatus(
    @JsonProperty("state") String state,
    @JsonProperty("start_time") String startTime,
    @JsonProperty("end_time") String endTime,
    @JsonProperty("error_code") String errorCode,
    @JsonProperty("error_details") JsonNode errorDetails) {

  private static final Set<String> STARTABLE = Set.of("idle", "error");

  /** {@return whether the node belongs to a bootstrapped cluster} */
  public boolean isCompleted() {
    return "completed".equals(state);
  }

  /** {@return whether the last bootstrap failed} */
  public boolean isError() {
    return "error".equals(state);
  }

  /** {@return whether a bootstrap may be started now ({@code idle} or {@code error})} */
  public boolean canStart() {
    return state == null || STARTABLE.contains(state);
  }

  /** {@return whether a bootstrap is running: neither startable nor completed} */
  public boolean isInProgress() {
    return !canStart() && !isCompleted();
  }

  /** {@return the failure's message from {@code error_details.message}, or null} */
  public String errorMessage() {
    if (errorDetails == null || errorDetails.isNull()) {
      return null;
    }
    JsonNode message = errorDetails.get("message");
    return message == null || message.isNull() ? errorDetails.toString() : message.asString();
  }

  /** {@return the state and, for an error, its code and message: for messages} */
  public String describe() {
    if (!isError()) {
      return String.valueOf(state);
    }
    String message = errorMessage();
    return "error"
        + (errorCode == null ? "" : " [" + errorCode + "]")
        + (message == null ? "" : ": " + message);
  }
}
