package dev.opsflow.hardware.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.testing.StandaloneProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The MAAS and Redfish simulators run as standalone servers, as a user runs them. */
class HardwareSimulatorMainsTest {
  private static final String MAAS = "dev.opsflow.hardware.maas.testing.MaasSimulatorMain";
  private static final String REDFISH = "dev.opsflow.hardware.redfish.testing.RedfishSimulatorMain";
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void maasPrintsOneReadyLineAndMeetsTheSameRackAfterARestart(@TempDir Path dir) throws Exception {
    Path state = dir.resolve("state");
    JsonNode first;
    String systemId;
    try (var maas =
        StandaloneProcess.start(dir, MAAS, "--state", state.toString(), "--machines", "2")) {
      first = maas.ready();
      assertThat(first.path("kind").asString()).isEqualTo("maas");
      String url = first.path("url").asString();
      assertThat(get(url + "/api/2.0/version/", null).statusCode()).isEqualTo(200);

      String key = first.path("apiKey").asString();
      JsonNode machines =
          Json.mapper().readTree(get(url + "/api/2.0/machines/", oauth(key)).body());
      assertThat(machines).hasSize(2);
      systemId = machines.get(0).path("system_id").asString();
      var commission =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(url + "/api/2.0/machines/" + systemId + "/?op=commission"))
                  .header("Authorization", oauth(key))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(commission.statusCode()).isEqualTo(200);

      assertThat(maas.stop()).as("stdout after the ready line").isEmpty();
    }
    try (var again = StandaloneProcess.start(dir, MAAS, "--state", state.toString())) {
      String key = again.ready().path("apiKey").asString();
      assertThat(key).isEqualTo(first.path("apiKey").asString());
      JsonNode machine =
          Json.mapper()
              .readTree(
                  get(
                          again.ready().path("url").asString()
                              + "/api/2.0/machines/"
                              + systemId
                              + "/",
                          oauth(key))
                      .body());
      assertThat(machine.path("status_name").asString()).isEqualTo("Commissioning");
      again.stop();
    }
  }

  @Test
  void redfishServesHttpsAndPlainHttpAndKeepsChangesAcrossARestart(@TempDir Path dir)
      throws Exception {
    Path state = dir.resolve("state");
    String password;
    try (var bmc = StandaloneProcess.start(dir, REDFISH, "--state", state.toString())) {
      JsonNode ready = bmc.ready();
      assertThat(ready.path("url").asString()).startsWith("https://127.0.0.1:");
      assertThat(Files.readString(Path.of(ready.path("caCertFile").asString())))
          .startsWith("-----BEGIN CERTIFICATE-----");
      password = ready.path("password").asString();
      String httpUrl = ready.path("httpUrl").asString();
      String basic = basic(ready.path("username").asString(), password);
      var patch =
          http.send(
              HttpRequest.newBuilder(URI.create(httpUrl + "/redfish/v1/Systems/SRV-A1B2C3"))
                  .header("Authorization", basic)
                  .header("Content-Type", "application/json")
                  .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"AssetTag\":\"rack-7\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(patch.statusCode()).isEqualTo(200);
      assertThat(bmc.stop()).isEmpty();
    }
    try (var again = StandaloneProcess.start(dir, REDFISH, "--state", state.toString())) {
      JsonNode ready = again.ready();
      assertThat(ready.path("password").asString()).isEqualTo(password);
      var system =
          get(
              ready.path("httpUrl").asString() + "/redfish/v1/Systems/SRV-A1B2C3",
              basic(ready.path("username").asString(), password));
      assertThat(Json.mapper().readTree(system.body()).path("AssetTag").asString())
          .isEqualTo("rack-7");
      again.stop();
    }
  }

  @Test
  void badOptionsExitWithStatus2AndSayWhy(@TempDir Path dir) throws Exception {
    assertThat(StandaloneProcess.runToExit(dir, MAAS, "--faults", "melt")).isEqualTo(2);
    assertThat(Files.readString(dir.resolve("stderr-exit.log")))
        .contains("--faults melt: the maas simulator knows");
    assertThat(Files.readString(dir.resolve("stdout-exit.log"))).isEmpty();
  }

  private HttpResponse<String> get(String url, String authorization) throws Exception {
    var request = HttpRequest.newBuilder(URI.create(url));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** An OAuth 1.0a PLAINTEXT header written by hand, as a third-party client would. */
  static String oauth(String apiKey) {
    String[] parts = apiKey.split(":");
    return "OAuth oauth_version=\"1.0\", oauth_signature_method=\"PLAINTEXT\","
        + " oauth_consumer_key=\""
        + parts[0]
        + "\", oauth_token=\""
        + parts[1]
        + "\","
        + " oauth_signature=\"%26"
        + parts[2]
        + "\", oauth_nonce=\""
        + UUID.randomUUID()
        + "\", oauth_timestamp=\""
        + System.currentTimeMillis() / 1000
        + "\"";
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
