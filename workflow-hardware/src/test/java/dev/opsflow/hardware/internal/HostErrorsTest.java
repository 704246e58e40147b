package dev.opsflow.hardware.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.ApiException;
import dev.opsflow.workflow.WorkflowException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostErrorsTest {
  private final ApiException throttled =
      new ApiException(
          "POST",
          "/MAAS/api/2.0/machines/abc123/?op=commission",
          503,
          null,
          "busy",
          true,
          Duration.ofSeconds(30),
          null);

  @Test
  void anApiErrorNamedAfterItsHostKeepsStatusRetryAfterAndSuggestions() {
    WorkflowException named =
        HostErrors.withHost(
            "MAAS http://maas:5240/MAAS",
            throttled.withSuggestions(List.of("wait for the region controller")));

    assertThat(named).isInstanceOf(ApiException.class);
    var api = (ApiException) named;
    assertThat(api.getMessage())
        .isEqualTo(
            "MAAS http://maas:5240/MAAS: POST /MAAS/api/2.0/machines/abc123/?op=commission"
                + " answered 503: busy");
    assertThat(api.status()).isEqualTo(503);
    assertThat(api.retryAfter()).contains(Duration.ofSeconds(30));
    assertThat(api.suggestions()).containsExactly("wait for the region controller");
  }

  @Test
  void suggestionsAddedLaterKeepTheHostInTheMessageOnce() {
    var named = (ApiException) HostErrors.withHost("Redfish https://10.0.0.5", throttled);

    ApiException more = named.withSuggestions(List.of("check the BMC"));

    assertThat(more).isInstanceOf(HostErrors.HostApiException.class);
    assertThat(more.getMessage()).isEqualTo(named.getMessage());
    assertThat(more.getMessage()).startsWith("Redfish https://10.0.0.5: POST ");
    assertThat(more.getMessage().indexOf("Redfish https://10.0.0.5"))
        .isEqualTo(more.getMessage().lastIndexOf("Redfish https://10.0.0.5"));
    assertThat(more.retryAfter()).contains(Duration.ofSeconds(30));
    assertThat(more.suggestions()).containsExactly("check the BMC");
  }
}
