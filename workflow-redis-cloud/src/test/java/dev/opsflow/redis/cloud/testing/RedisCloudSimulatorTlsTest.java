package dev.opsflow.redis.cloud.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.redis.cloud.client.RedisCloudClient;
import dev.opsflow.workflow.WorkflowException;
import dev.opsflow.workflow.testing.ManualClock;
import dev.opsflow.workflow.testing.RedisEndpoints;
import dev.opsflow.workflow.testing.StandaloneSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** The API over HTTPS by default, verified by the client; plain HTTP only when asked for. */
class RedisCloudSimulatorTlsTest {
  private final ManualClock clock = new ManualClock();
  private final SimulatorSettings settings =
      SimulatorSettings.defaults().withEndpoints(RedisEndpoints.inProcess());

  @Test
  void theApiIsHttpsAndTheClientVerifiesItsCertificate() {
    try (var sim = RedisCloudSimulator.start(clock, settings)) {
      assertThat(sim.baseUri()).startsWith("https://127.0.0.1:");
      assertThat(sim.transport()).isEqualTo(RedisCloudSimulator.Transport.HTTPS);

      // A client that trusts only the system's CAs refuses the self-signed certificate.
      RedisCloudClient untrusting =
          RedisCloudClient.builder(sim.apiKey(), sim.secretKey())
              .baseUri(sim.baseUri())
              .clock(clock)
              .sleeper(clock)
              .maxAttempts(1)
              .build();
      assertThatThrownBy(untrusting::subscriptions).isInstanceOf(WorkflowException.class);
      assertThat(sim.requests()).isEmpty();

      // Trusting the simulator's certificate (what clientBuilder does), TLS stays verified.
      RedisCloudClient trusting =
          sim.clientBuilder()
              .clock(clock)
              .sleeper(clock)
              .httpSettings(s -> s.withRequestTimeout(java.time.Duration.ofSeconds(20)))
              .build();
      assertThat(trusting.subscriptions()).isEmpty();
      assertThat(sim.requests()).hasSize(1);
    }
  }

  @Test
  void aJdkClientWithItsDefaultTrustIsRefusedAndOneTrustingTheCertificateIsServed()
      throws Exception {
    try (var sim = RedisCloudSimulator.start(clock, settings)) {
      var request =
          HttpRequest.newBuilder(URI.create(sim.baseUri() + "/subscriptions"))
              .header("x-api-key", sim.apiKey().reveal())
              .header("x-api-secret-key", sim.secretKey().reveal())
              .build();
      assertThatThrownBy(
              () -> HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(SSLHandshakeException.class);
      var trusting =
          HttpClient.newBuilder().sslContext(RedisCloudSimulator.clientSslContext()).build();
      assertThat(trusting.send(request, HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void plainHttpOnlyWhenAskedFor() throws Exception {
    try (var sim =
        RedisCloudSimulator.start(
            clock, settings, 0, null, RedisCloudSimulator.Transport.PLAIN_HTTP)) {
      assertThat(sim.baseUri()).startsWith("http://127.0.0.1:");
      var answer =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(sim.baseUri() + "/subscriptions"))
                      .header("x-api-key", sim.apiKey().reveal())
                      .header("x-api-secret-key", sim.secretKey().reveal())
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).isEqualTo(200);
    }
  }

  @Test
  void theStandaloneReadyLineNamesTheCertificateToTrust() throws Exception {
    var started =
        RedisCloudSimulatorMain.start(
            StandaloneSimulator.parse(
                new String[] {"--port", "0", "--timings", "fast"}, Set.of("timings", "transport")));
    try {
      String url = (String) started.ready().get("url");
      assertThat(url).startsWith("https://127.0.0.1:");
      Path ca = Path.of((String) started.ready().get("caCertFile"));
      String pem = Files.readString(ca);
      assertThat(pem).contains("BEGIN CERTIFICATE");
      RedisCloudClient client =
          RedisCloudClient.builder(
                  dev.opsflow.workflow.Secret.of((String) started.ready().get("apiKey")),
                  dev.opsflow.workflow.Secret.of((String) started.ready().get("secretKey")))
              .baseUri(url)
              .httpSettings(s -> s.withTrustedPemFile(ca))
              .build();
      assertThat(client.subscriptions()).isEmpty();
    } finally {
      started.server().close();
    }
    assertThatThrownBy(
            () ->
                RedisCloudSimulatorMain.start(
                    StandaloneSimulator.parse(
                        new String[] {"--transport", "ftp"}, Set.of("timings", "transport"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--transport ftp");
  }
}
