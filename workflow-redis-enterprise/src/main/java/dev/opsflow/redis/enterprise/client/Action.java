package dev.opsflow.redis.enterprise.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Set;

/**
 * An asynchronous operation from {@code GET /v1/actions[/{uid}]}. Wire types are loose: uids and
 * {@code progress} come as strings or numbers; both are read.
 *
 * <p>Status: {@code queued} -&gt; {@code starting} -&gt; {@code running} -&gt; {@code completed} |
 * {@code failed}, or {@code cancelling} -&gt; {@code cancelled}; also {@code aborted}. {@code
 * completed}, {@code failed}, {@code cancelled} and {@code aborted} are terminal. Immutable.
 *
 * @param uid the {@code action_uid}
 * @param name what it does ({@code SMCreateBDB}, ...)
 * @param status its status
 * @param progress its progress, 0 to 100, as sent (a string)
 * @param objectName what it works on ({@code bdb:1})
 * @param nodeUid the node running it, or null
 * @param errorCode why it failed, or null
 * @param message what it says about its failure, or null
 * @param description another field some versions use for the failure, or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Action(
    @JsonProperty("action_uid") String uid,
    @JsonProperty("name") String name,
    @JsonProperty("status") String status,
    @JsonProperty("progress") String progress,
    @JsonProperty("object_name") String objectName,
    @JsonProperty("node_uid") String nodeUid,
    @JsonProperty("error_code") String errorCode,
    @JsonProperty("message") String message,
    @JsonProperty("description") String description) {

  private static final Set<String> TERMINAL = Set.of("completed", "failed", "cancelled", "aborted");

  /** {@return whether the action has ended, in success or not} */
  public boolean isTerminal() {
    return TERMINAL.contains(status);
  }

  /** {@return whether it ended in success} */
  public boolean isCompleted() {
    return "completed".equals(status);
  }

  /** {@return whether it ended without success: failed, cancelled or aborted} */
  public boolean isUnsuccessful() {
    return isTerminal() && !isCompleted();
  }

  /** {@return the progress as a number from 0 to 100 (0 when absent or not a number)} */
  public int progressPercent() {
    if (progress == null) {
      return 0;
    }
    try {
      return (int) Math.max(0, Math.min(100, Math.round(Double.parseDouble(progress.trim()))));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** {@return the status, with error code and message when it did not succeed: for messages} */
  public String describe() {
    String why = message != null ? message : description;
    return status
        + (errorCode == null ? "" : " [" + errorCode + "]")
        + (why == null || !isUnsuccessful() ? "" : ": " + why)
        + (isTerminal() ? "" : " (" + progressPercent() + "%)");
  }
}
