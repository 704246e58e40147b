package dev.opsflow.hardware.redfish.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.testing.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The Redfish simulator's HTTP as RFC 9110/9112 and DSP0266 ask, spoken to over plain HTTP. */
class RedfishSimulatorHttpTest {
  private static final String SYSTEM = "/redfish/v1/Systems/SRV-A1B2C3";
  private final ManualClock clock = new ManualClock();
  private final RedfishSimulator bmc = RedfishSimulator.builder().clock(clock).httpPort(0).start();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    bmc.close();
  }

  private HttpResponse<String> send(String method, String path, String body, String... headers)
      throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create(bmc.plainOrigin().orElseThrow() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .header("Authorization", basic());
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String basic() {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString(("admin:" + bmc.password().reveal()).getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode json(HttpResponse<String> answer) {
    return Json.mapper().readTree(answer.body());
  }

  /** Raw requests on one connection; returns everything the server sent until it closed. */
  private String raw(String... requests) throws Exception {
    int port = URI.create(bmc.plainOrigin().orElseThrow()).getPort();
    try (var socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      for (String r : requests) {
        socket.getOutputStream().write(r.getBytes(StandardCharsets.US_ASCII));
      }
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      var out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toString(StandardCharsets.US_ASCII);
    }
  }

  private String request(String path, String connection) {
    return "GET "
        + path
        + " HTTP/1.1\r\nHost: bmc\r\nAuthorization: "
        + basic()
        + "\r\n"
        + (connection == null ? "" : "Connection: " + connection + "\r\n")
        + "\r\n";
  }

  @Test
  void aClientAskingToCloseGetsConnectionCloseAndTheServerCloses() throws Exception {
    String answer = raw(request("/redfish/v1/Systems", "close"));
    assertThat(answer).startsWith("HTTP/1.1 200").containsIgnoringCase("\r\nConnection: close\r\n");
  }

  @Test
  void plainHttpSentToTheHttpsPortIsAnsweredNotDropped() throws Exception {
    int port = URI.create(bmc.origin()).getPort();
    try (var socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(request("/redfish/v1", null).getBytes(StandardCharsets.US_ASCII));
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer)
          .startsWith("HTTP/1.1 400")
          .contains("Connection: close")
          .contains("use https://127.0.0.1:" + port);
    }
  }

  @Test
  void aKeptAliveConnectionServesSeveralRequests() throws Exception {
    String answers = raw(request("/redfish/v1", null), request("/redfish/v1/Systems", "close"));
    assertThat(answers.split("HTTP/1.1 200", -1)).hasSize(3);
  }

  @Test
  void headAnswersTheHeadersOfGetWithoutContent() throws Exception {
    var get = send("GET", SYSTEM, null);
    var head = send("HEAD", SYSTEM, null);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(head.headers().firstValue("ETag")).isEqualTo(get.headers().firstValue("ETag"));
    assertThat(head.headers().firstValue("Content-Length"))
        .contains(String.valueOf(get.body().getBytes(StandardCharsets.UTF_8).length));
  }

  @Test
  void metadataAndTheOdataDocumentAreOpenAsDsp0266Says() throws Exception {
    var anonymous = HttpClient.newHttpClient();
    var metadata =
        anonymous.send(
            HttpRequest.newBuilder(
                    URI.create(bmc.plainOrigin().orElseThrow() + "/redfish/v1/$metadata"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(metadata.statusCode()).isEqualTo(200);
    assertThat(metadata.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/xml"));
    assertThat(metadata.body())
        .contains("Uri=\"http://redfish.dmtf.org/schemas/v1/ComputerSystem_v1.xml\"")
        .contains("Namespace=\"ComputerSystem.v1_20_0\"");
    var odata =
        anonymous.send(
            HttpRequest.newBuilder(
                    URI.create(bmc.plainOrigin().orElseThrow() + "/redfish/v1/odata"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(json(odata).path("value").get(0).path("url").asString()).isEqualTo("/redfish/v1/");
    var systems =
        anonymous.send(
            HttpRequest.newBuilder(
                    URI.create(bmc.plainOrigin().orElseThrow() + "/redfish/v1/Systems"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(systems.statusCode()).isEqualTo(401);
    assertThat(systems.headers().firstValue("WWW-Authenticate"))
        .contains("Basic realm=\"Redfish\"");
  }

  @Test
  void ifMatchIsOptionalMatchesAnyWithStarAndRefusesAStaleOrWeakTag() throws Exception {
    assertThat(send("PATCH", SYSTEM, "{\"AssetTag\":\"a\"}").statusCode()).isEqualTo(200);
    assertThat(send("PATCH", SYSTEM, "{\"AssetTag\":\"b\"}", "If-Match", "*").statusCode())
        .isEqualTo(200);
    String etag = send("GET", SYSTEM, null).headers().firstValue("ETag").orElseThrow();
    assertThat(send("PATCH", SYSTEM, "{\"AssetTag\":\"c\"}", "If-Match", "W/" + etag).statusCode())
        .as("a weak tag never matches If-Match (strong comparison)")
        .isEqualTo(412);
    var ok = send("PATCH", SYSTEM, "{\"AssetTag\":\"c\"}", "If-Match", "\"x\", " + etag);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(json(ok).path("AssetTag").asString()).isEqualTo("c");
    assertThat(ok.headers().firstValue("ETag")).isNotEqualTo(java.util.Optional.of(etag));
    assertThat(send("PATCH", SYSTEM, "{\"AssetTag\":\"d\"}", "If-Match", etag).statusCode())
        .isEqualTo(412);
  }

  @Test
  void patchesAreValidatedLikeABmcDoes() throws Exception {
    var banana = send("PATCH", SYSTEM, "{\"Boot\":{\"BootSourceOverrideEnabled\":\"Banana\"}}");
    assertThat(banana.statusCode()).isEqualTo(400);
    assertThat(banana.body()).contains("PropertyValueNotInList").contains("Banana");
    assertThat(send("PATCH", SYSTEM, "{\"PowerState\":\"On\"}").body())
        .contains("PropertyNotWritable");
    assertThat(send("PATCH", SYSTEM, "{\"Colour\":\"blue\"}").body()).contains("PropertyUnknown");
    assertThat(send("PATCH", SYSTEM, "{\"Boot\":{\"BootSourceOverrideTarget\":\"Floppy\"}}").body())
        .as("narrowed by the system's AllowableValues")
        .contains("PropertyValueNotInList");
    assertThat(
            send("PATCH", SYSTEM + "/Bios/Settings", "{\"Attributes\":{\"BootMode\":\"Legacy\"}}")
                .body())
        .as("a value outside the attribute registry")
        .contains("PropertyValueNotInList");
    assertThat(bmc.resource(SYSTEM).path("Boot").path("BootSourceOverrideEnabled").asString())
        .isEqualTo("Disabled");
  }

  @Test
  void aOnceOverrideAndPendingBiosSettingsAreUsedUpByTheResetThatBoots() throws Exception {
    send(
        "PATCH",
        SYSTEM,
        "{\"Boot\":{\"BootSourceOverrideEnabled\":\"Once\",\"BootSourceOverrideTarget\":\"Pxe\"}}");
    send("PATCH", SYSTEM + "/Bios/Settings", "{\"Attributes\":{\"BootMode\":\"Bios\"}}");

    var reset = send("POST", SYSTEM + "/Actions/ComputerSystem.Reset", "{\"ResetType\":\"On\"}");
    assertThat(reset.statusCode()).isEqualTo(204);

    JsonNode boot = bmc.resource(SYSTEM).path("Boot");
    assertThat(boot.path("BootSourceOverrideEnabled").asString()).isEqualTo("Disabled");
    assertThat(bmc.resource(SYSTEM + "/Bios").path("Attributes").path("BootMode").asString())
        .isEqualTo("Bios");
    assertThat(bmc.resource(SYSTEM + "/Bios/Settings").path("Attributes").isEmpty()).isTrue();
    assertThat(bmc.resource(SYSTEM + "/Bios").path("@Redfish.Settings").has("Time")).isTrue();
  }

  @Test
  void resetTypesOutsideTheAllowedOnesAndAMissingResetTypeAreRefused() throws Exception {
    var nmi = send("POST", SYSTEM + "/Actions/ComputerSystem.Reset", "{\"ResetType\":\"Nmi\"}");
    assertThat(nmi.statusCode()).isEqualTo(400);
    assertThat(nmi.body()).contains("ActionParameterValueNotInList");
    assertThat(send("POST", SYSTEM + "/Actions/ComputerSystem.Reset", "{}").body())
        .contains("ActionParameterMissing");
  }

  @Test
  void anUpdateTaskShowsHowLongItWillTakeAndIsListedInTheTaskService() throws Exception {
    try (var quick =
        RedfishSimulator.builder()
            .clock(clock)
            .httpPort(0)
            .updateDuration(Duration.ofSeconds(20))
            .start()) {
      var client = HttpClient.newHttpClient();
      var post =
          client.send(
              HttpRequest.newBuilder(
                      URI.create(
                          quick.plainOrigin().orElseThrow()
                              + "/redfish/v1/UpdateService/Actions/UpdateService.SimpleUpdate"))
                  .header(
                      "Authorization",
                      "Basic "
                          + Base64.getEncoder()
                              .encodeToString(
                                  ("admin:" + quick.password().reveal())
                                      .getBytes(StandardCharsets.UTF_8)))
                  .POST(HttpRequest.BodyPublishers.ofString("{\"ImageURI\":\"http://x/fw.bin\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).isEqualTo(202);
      JsonNode task = json(post);
      assertThat(task.path("EstimatedDuration").asString()).isEqualTo("PT20S");
      assertThat(quick.resource("/redfish/v1/TaskService/Tasks").path("Members").toString())
          .contains(task.path("@odata.id").asString());
      clock.advance(Duration.ofSeconds(21));
      assertThat(quick.resource(task.path("@odata.id").asString()).path("TaskState").asString())
          .isEqualTo("Completed");
    }
  }

  @Test
  void expandReplacesLinksByTheirResourcesAndUnsupportedQueriesAnswer501() throws Exception {
    JsonNode expanded = json(send("GET", "/redfish/v1/Systems?$expand=.($levels=1)", null));
    assertThat(expanded.path("Members").get(0).path("PowerState").asString()).isEqualTo("Off");
    JsonNode notLinks = json(send("GET", SYSTEM + "?$expand=.", null));
    assertThat(notLinks.path("Links").path("Chassis").get(0).has("Id")).isFalse();
    assertThat(notLinks.path("Bios").path("Id").asString()).isEqualTo("Bios");
    assertThat(send("GET", "/redfish/v1/Systems?$expand=.($levels=9)", null).statusCode())
        .isEqualTo(400);
    assertThat(send("GET", "/redfish/v1/Systems?$top=1", null).statusCode()).isEqualTo(501);
  }

  @Test
  void aMethodNotAllowedSaysWhichAre() throws Exception {
    var delete = send("DELETE", "/redfish/v1/Systems", null);
    assertThat(delete.statusCode()).isEqualTo(405);
    assertThat(delete.headers().firstValue("Allow")).contains("GET, HEAD");
    assertThat(send("PUT", SYSTEM, "{}").headers().firstValue("Allow"))
        .contains("GET, HEAD, PATCH");
  }
}
