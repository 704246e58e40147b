package dev.opsflow.hardware.internal;

import dev.opsflow.workflow.ApiException;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.WorkflowException;
import java.util.function.Supplier;

/**
 * Makes every error of an HTTP call name the remote host. The core {@link ApiException} names the
 * method and path only; a provisioning run talks to hundreds of BMCs, so the hardware clients
 * prefix the system and its origin ({@code "Redfish https://10.0.0.5:443: GET /redfish/v1 answered
 * 401"}). Not part of the public API.
 */
public final class HostErrors {
  private HostErrors() {}

  /**
   * Runs {@code call}, re-throwing its {@link WorkflowException}s with {@code system origin} in the
   * message; kind, status, retryability, Retry-After and details are kept.
   */
  public static <T> T naming(String system, String origin, Supplier<T> call) {
    try {
      return call.get();
    } catch (WorkflowException e) {
      throw withHost(system + " " + origin, e);
    }
  }

  /** The same failure with {@code prefix} in front of its message (once). */
  public static WorkflowException withHost(String prefix, WorkflowException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    if (message.startsWith(prefix)) {
      return e;
    }
    WorkflowException copy;
    if (e instanceof ApiException api) {
      var named = new HostApiException(prefix, api, stripPrefix(api, message));
      copy = api.suggestions().isEmpty() ? named : named.withSuggestions(api.suggestions());
    } else if (e.kind() == ErrorKind.CANCELLED) {
      return e;
    } else {
      copy =
          new WorkflowException(
              e.kind(), prefix + ": " + message, e, e.retryable(), e.details(), e.suggestions());
    }
    copy.setStackTrace(e.getStackTrace());
    return copy;
  }

  /** An {@link ApiException} whose message starts with the remote system and its origin. */
  public static final class HostApiException extends ApiException {
    private static final long serialVersionUID = 1L;
    private final String prefix;

    HostApiException(String prefix, ApiException api, String ownMessage) {
      super(
          api.method(),
          api.path(),
          api.status(),
          api.errorCode(),
          ownMessage,
          api.retryable(),
          api.retryAfter().orElse(null),
          api);
      this.prefix = prefix;
    }

    private HostApiException(HostApiException from, java.util.List<String> suggestions) {
      super(from, from.ownMessage(), suggestions);
      this.prefix = from.prefix;
    }

    private String ownMessage() {
      return super.getMessage();
    }

    /** A copy with more suggestions appended, still naming the remote system. */
    @Override
    public HostApiException withSuggestions(java.util.List<String> more) {
      return new HostApiException(this, appended(more));
    }

    @Override
    public String getMessage() {
      return prefix + ": " + super.getMessage();
    }
  }

  /** The API's own message: what ApiException's message holds after "METHOD path answered N: ". */
  private static String stripPrefix(ApiException api, String message) {
    StringBuilder head =
        new StringBuilder()
            .append(api.method())
            .append(' ')
            .append(api.path())
            .append(api.status() == 0 ? " failed" : " answered " + api.status());
    if (api.errorCode() != null && !api.errorCode().isBlank()) {
      head.append(" [").append(api.errorCode()).append(']');
    }
    String prefix = head.toString();
    if (message.startsWith(prefix + ": ")) {
      return message.substring(prefix.length() + 2);
    }
    return message.startsWith(prefix) ? null : message;
  }
}
