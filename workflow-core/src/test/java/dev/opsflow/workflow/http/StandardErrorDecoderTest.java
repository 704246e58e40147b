package dev.opsflow.workflow.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.http.ErrorDecoder.ApiError;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StandardErrorDecoderTest {

  private static ApiError decode(String body) {
    return ErrorDecoder.standard().decode(new HttpResponseData("GET", "/x", 400, Map.of(), body));
  }

  @Test
  void readsFlatRedisEnterpriseErrors() {
    assertThat(decode("{\"error_code\":\"x\",\"description\":\"y\"}"))
        .isEqualTo(new ApiError("x", "y"));
    assertThat(decode("{\"errorCode\":\"x\",\"message\":\"y\"}")).isEqualTo(new ApiError("x", "y"));
    assertThat(decode("{\"code\":409,\"error\":\"busy\"}")).isEqualTo(new ApiError("409", "busy"));
  }

  @Test
  void readsNestedErrorObjects() {
    assertThat(
            decode(
                "{\"error\":{\"type\":\"SUBSCRIPTION_NOT_FOUND\",\"status\":\"404\","
                    + "\"description\":\"Subscription 7 was not found\"}}"))
        .isEqualTo(new ApiError("SUBSCRIPTION_NOT_FOUND", "Subscription 7 was not found"));
  }

  @Test
  void readsRedfishExtendedInfo() {
    String redfish =
        "{\"error\":{\"code\":\"Base.1.8.GeneralError\",\"message\":\"A general error has"
            + " occurred.\",\"@Message.ExtendedInfo\":[{\"MessageId\":\"Base.1.8.PropertyValueNotInList\",\"Message\":\"The"
            + " value 'Pxe2' for the property BootSourceOverrideTarget is not in the list of"
            + " acceptable values.\"}]}}";

    ApiError error = decode(redfish);

    assertThat(error.code()).isEqualTo("Base.1.8.PropertyValueNotInList");
    assertThat(error.message()).startsWith("The value 'Pxe2'");
  }

  @Test
  void readsRedfishWithoutExtendedInfo() {
    assertThat(decode("{\"error\":{\"code\":\"Base.1.8.GeneralError\",\"message\":\"boom\"}}"))
        .isEqualTo(new ApiError("Base.1.8.GeneralError", "boom"));
  }

  @Test
  void quotesPlainTextBodies() {
    assertThat(decode("No machine with system ID abc"))
        .isEqualTo(new ApiError(null, "No machine with system ID abc"));
    assertThat(decode("")).isEqualTo(ApiError.NONE);
    assertThat(decode("x".repeat(500)).message()).hasSize(203);
  }

  @Test
  void quotesUnknownJsonRedacted() {
    assertThat(decode("{\"status\":\"bad\",\"token\":\"abc\"}").message())
        .isEqualTo("{\"status\":\"bad\",\"token\":\"****\"}");
  }
}
