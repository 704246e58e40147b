package dev.opsflow.hardware.maas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.Secret;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class MaasOAuthSignerTest {
  private final Clock clock = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);

  @Test
  void buildsAPlaintextHeaderWithEmptyConsumerSecretAndTimestamp() {
    var signer = MaasOAuthSigner.of(Secret.of("ck:tk:ts"), clock);

    String header =
        signer.sign("GET", URI.create("http://maas/MAAS/api/2.0/machines/")).get("Authorization");

    assertThat(header)
        .startsWith("OAuth oauth_version=\"1.0\"")
        .contains(
            "oauth_signature_method=\"PLAINTEXT\"",
            "oauth_consumer_key=\"ck\"",
            "oauth_token=\"tk\"",
            "oauth_signature=\"%26ts\"",
            "oauth_timestamp=\"1700000000\"")
        .containsPattern("oauth_nonce=\"[0-9a-f]{32}\"");
  }

  @Test
  void usesAFreshNonceForEveryRequest() {
    var signer = MaasOAuthSigner.of(Secret.of("ck:tk:ts"), clock);
    URI uri = URI.create("http://maas/MAAS/api/2.0/machines/");

    assertThat(signer.sign("GET", uri)).isNotEqualTo(signer.sign("GET", uri));
  }

  @Test
  void printsNoSecret() {
    assertThat(MaasOAuthSigner.of(Secret.of("ck:tk:topsecret")).toString())
        .doesNotContain("topsecret")
        .contains("ck");
  }
}
