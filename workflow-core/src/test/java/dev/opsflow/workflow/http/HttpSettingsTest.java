package dev.opsflow.workflow.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.workflow.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpSettingsTest {

  @Test
  void defaultsAreSafe() {
    HttpSettings settings = HttpSettings.of("https://cluster.example:9443");

    assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(settings.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.tls()).isEqualTo(TlsTrust.system());
    assertThat(settings.auth()).isEqualTo(Auth.none());
    assertThat(settings.defaultHeaders()).isEmpty();
  }

  @Test
  void withMethodsCopy() {
    HttpSettings base = HttpSettings.of("https://cluster.example:9443");

    HttpSettings changed =
        base.withRequestTimeout(Duration.ofSeconds(5)).withDefaultHeader("X-Trace", "1");

    assertThat(base.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(changed.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(changed.defaultHeaders()).isEqualTo(Map.of("X-Trace", "1"));
  }

  @Test
  void argumentsAreCheckedAtTheDoor() {
    HttpSettings base = HttpSettings.of("https://cluster.example:9443");

    assertThatThrownBy(() -> HttpSettings.of("ftp://example"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http or https");
    assertThatThrownBy(() -> HttpSettings.of(URI.create("https://admin:pw@example")))
        .hasMessageContaining("must not carry credentials");
    assertThatThrownBy(() -> base.withConnectTimeout(Duration.ZERO))
        .hasMessage("connectTimeout must be > 0");
    assertThatThrownBy(() -> TlsTrust.pem("not a certificate"))
        .hasMessageContaining("BEGIN CERTIFICATE");
  }

  @Test
  void authPrintsNoSecret() {
    Auth auth =
        Auth.headers(Map.of("x-api-key", Secret.of("key-123"), "x-api-secret-key", Secret.of("s")));

    assertThat(auth.toString()).doesNotContain("key-123");
    assertThat(Auth.basic("admin", Secret.of("pw-456")).toString()).doesNotContain("pw-456");
  }
}
