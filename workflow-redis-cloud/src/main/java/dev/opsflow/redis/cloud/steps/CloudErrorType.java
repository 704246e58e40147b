package dev.opsflow.redis.cloud.steps;

import dev.opsflow.workflow.ApiException;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Retries;
import dev.opsflow.workflow.WorkflowException;
import java.util.List;
import java.util.Set;

/**
 * What a Redis Cloud failure means to the user, as {@code quick-database} reports it in its error's
 * {@code details.errorType}, with a suggestion for each.
 */
public enum CloudErrorType {
  /** The name breaks the API's rules. */
  INVALID_NAME("use letters, digits and hyphens, starting with a letter, at most 40 characters"),
  /** Something of that name exists and is not ours to reuse. */
  NAME_CONFLICT("choose another name, or delete the existing resource"),
  /** The account already has its one free database. */
  FREE_DATABASE_EXISTS("reuse the existing free subscription by its name, or delete it first"),
  /** A limit of the account or the plan was reached. */
  QUOTA_EXCEEDED("delete unused subscriptions or databases, or choose a larger plan"),
  /** The API keys were refused. */
  NOT_AUTHENTICATED("check the account key (x-api-key) and the user key (x-api-secret-key)"),
  /** The API's request quota was exhausted. */
  RATE_LIMITED("wait a minute and run again, or lower the client's requestsPerMinute"),
  /** A failure that may pass: run again. */
  TRANSIENT("run again: the work done so far is found and reused"),
  /** Anything else. */
  OTHER("see the message and details");

  private static final Set<String> INVALID =
      Set.of(
          "DATABASE_INVALID_NAME",
          "FIXED_SUBSCRIPTION_INVALID_NAME",
          "DATABASE_NAME_TOO_LONG",
          "FIXED_SUBSCRIPTION_NAME_NOT_PROVIDED",
          "FIXED_DATABASE_NAME_IS_MISSING");
  private static final Set<String> CONFLICT =
      Set.of("DATABASE_NAME_EXISTS", "DATABASE_NAME_DUPLICATE", "CONFLICT_ERROR");
  private static final Set<String> QUOTA =
      Set.of(
          "FIXED_DATABASE_FIXED_SUBSCRIPTION_REACHED_MAX_DATABASES_COUNT",
          "TOO_MANY_PENDING_SUBSCRIPTIONS",
          "ACTIVE_ACTIVE_DATABASE_LIMIT_EXCEEDED");

  private final String suggestion;

  CloudErrorType(String suggestion) {
    this.suggestion = suggestion;
  }

  /** {@return what to do about it} */
  public String suggestion() {
    return suggestion;
  }

  /**
   * The type of any failure.
   *
   * @param error any failure of a step
   * @return its type, from the API's error code or the failure's kind
   */
  public static CloudErrorType of(Throwable error) {
    if (error instanceof ApiException api) {
      String code = api.errorCode() == null ? "" : api.errorCode();
      if (api.status() == 401 || api.status() == 403 || code.equals("UNAUTHORIZED")) {
        return NOT_AUTHENTICATED;
      }
      if (api.status() == 429) {
        return RATE_LIMITED;
      }
      if (INVALID.contains(code)) {
        return INVALID_NAME;
      }
      if (CONFLICT.contains(code)) {
        return NAME_CONFLICT;
      }
      if (code.equals("FIXED_SUBSCRIPTION_ACCOUNT_ALREADY_HAS_A_FREE_PLAN")) {
        return FREE_DATABASE_EXISTS;
      }
      if (QUOTA.contains(code) || code.contains("LIMIT")) {
        return QUOTA_EXCEEDED;
      }
    }
    WorkflowException classified = Retries.classify(error);
    if (classified.kind() == ErrorKind.AUTH) {
      return NOT_AUTHENTICATED;
    }
    return classified.retryable() ? TRANSIENT : OTHER;
  }

  /**
   * {@code error} with {@code details.errorType} and this type's suggestion added.
   *
   * @param error any failure of a step
   * @return the typed failure
   */
  public static WorkflowException typed(Throwable error) {
    WorkflowException base = Retries.classify(error);
    CloudErrorType type = of(error);
    var details = new java.util.LinkedHashMap<String, Object>(base.details());
    details.put("errorType", type.name());
    var suggestions = new java.util.ArrayList<>(base.suggestions());
    suggestions.add(type.suggestion());
    var typed =
        new WorkflowException(
            base.kind(),
            Retries.messageOf(error),
            error,
            base.retryable(),
            details,
            List.copyOf(suggestions));
    return typed;
  }
}
