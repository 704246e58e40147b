package dev.opsflow.workflow.http;

/**
 * Reads the API's own error code and message from an error answer, so that an {@link
 * dev.opsflow.workflow.ApiException} says what the API said. An adapter whose API has its own error
 * shape supplies one through {@link HttpSettings#withErrorDecoder(ErrorDecoder)}; the {@link
 * #standard()} decoder covers the common shapes.
 *
 * <p>Implementations must be thread-safe and must not throw: return {@link ApiError#NONE} when
 * nothing can be read. Whatever they return is redacted of known secrets before it reaches a
 * message.
 */
@FunctionalInterface
public interface ErrorDecoder {

  /**
   * The error code and message of a non-2xx answer.
   *
   * @param response the answer; its body may be empty, JSON or anything else
   * @return what was found; never null
   */
  ApiError decode(HttpResponseData response);

  /**
   * The decoder for the shapes Opsflow's APIs use:
   *
   * <ul>
   *   <li>flat objects with a code in {@code error_code}, {@code errorCode} or {@code code} and a
   *       message in {@code description}, {@code message}, {@code detail} or {@code error} (Redis
   *       Enterprise: {@code {"error_code":"x","description":"y"}});
   *   <li>an {@code error} object with those fields, or {@code type} as its code (Redis Cloud);
   *   <li>Redfish: {@code error.code}, {@code error.message} and, preferred when present, {@code
   *       error.@Message.ExtendedInfo[0].MessageId} and {@code .Message};
   *   <li>a body that is not JSON (MAAS answers plain text): its first 200 characters, redacted.
   * </ul>
   *
   * @return the standard decoder, shared and stateless
   */
  static ErrorDecoder standard() {
    return StandardErrorDecoder.INSTANCE;
  }

  /**
   * What an error answer said.
   *
   * @param code the API's error code, or null
   * @param message the API's description of the error, or null
   */
  record ApiError(String code, String message) {
    /** Nothing found. */
    public static final ApiError NONE = new ApiError(null, null);
  }
}
