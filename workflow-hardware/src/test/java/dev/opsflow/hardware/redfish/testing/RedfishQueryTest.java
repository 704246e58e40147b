package dev.opsflow.hardware.redfish.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.testing.ManualClock;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** DSP0266 7.3's query parameters: $select, $filter, $expand, only, and their errors. */
class RedfishQueryTest {
  private static final String SYSTEM = "/redfish/v1/Systems/SRV-A1B2C3";
  private static final String FIRMWARE = "/redfish/v1/UpdateService/FirmwareInventory";
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private final RedfishSimulator bmc = RedfishSimulator.builder().httpPort(0).start();

  @AfterEach
  void stop() {
    bmc.close();
  }

  private HttpResponse<String> get(String path, String query) throws Exception {
    return send(bmc, "GET", path, query, null);
  }

  private HttpResponse<String> send(String method, String path, String query, String body)
      throws Exception {
    return send(bmc, method, path, query, body);
  }

  private static HttpResponse<String> send(
      RedfishSimulator bmc, String method, String path, String query, String body)
      throws Exception {
    String encoded = query == null ? "" : "?" + encode(query);
    var request =
        HttpRequest.newBuilder(URI.create(bmc.plainOrigin().orElseThrow() + path + encoded))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .header(
                "Authorization",
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString(
                            ("admin:" + bmc.password().reveal()).getBytes(StandardCharsets.UTF_8)));
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Encodes each value of {@code name=value&...} as a client would. */
  private static String encode(String query) {
    var parts = new ArrayList<String>();
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      parts.add(
          eq < 0
              ? pair
              : pair.substring(0, eq + 1)
                  + URLEncoder.encode(pair.substring(eq + 1), StandardCharsets.UTF_8)
                      .replace("+", "%20"));
    }
    return String.join("&", parts);
  }

  private static JsonNode json(HttpResponse<String> answer) {
    return Json.mapper().readTree(answer.body());
  }

  private static String messageId(HttpResponse<String> answer) {
    return json(answer)
        .path("error")
        .path("@Message.ExtendedInfo")
        .get(0)
        .path("MessageId")
        .asString();
  }

  private static List<String> ids(JsonNode collection) {
    var ids = new ArrayList<String>();
    collection.path("Members").forEach(m -> ids.add(m.path("@odata.id").asString()));
    return ids;
  }

  @Test
  void theServiceRootAdvertisesWhatIsImplemented() throws Exception {
    JsonNode features = json(get("/redfish/v1", null)).path("ProtocolFeaturesSupported");
    assertThat(features.path("SelectQuery").asBoolean()).isTrue();
    assertThat(features.path("FilterQuery").asBoolean()).isTrue();
    assertThat(features.path("OnlyMemberQuery").asBoolean()).isTrue();
    assertThat(features.path("ExcerptQuery").asBoolean()).isFalse();
    assertThat(features.path("ExpandQuery").path("MaxLevels").asInt())
        .isEqualTo(RedfishQuery.MAX_LEVELS);
  }

  @Test
  void selectReturnsTheNamedPropertiesAndTheOdataOnes() throws Exception {
    var answer = get(SYSTEM, "$select=PowerState,Boot/BootSourceOverrideTarget,Status/Health");
    assertThat(answer.statusCode()).isEqualTo(200);
    JsonNode system = json(answer);
    assertThat(system.propertyNames())
        .containsExactlyInAnyOrder("@odata.id", "@odata.type", "PowerState", "Boot", "Status");
    assertThat(system.path("Boot").propertyNames())
        .contains("BootSourceOverrideTarget")
        .doesNotContain("BootSourceOverrideEnabled");
    assertThat(system.path("Status").propertyNames()).containsExactly("Health");
    assertThat(answer.headers().firstValue("ETag"))
        .isEqualTo(get(SYSTEM, null).headers().firstValue("ETag"));
  }

  @Test
  void selectKeepsAPropertysAnnotations() throws Exception {
    JsonNode boot = json(get(SYSTEM, "$select=Boot/BootSourceOverrideTarget")).path("Boot");
    JsonNode full = json(get(SYSTEM, null)).path("Boot");
    if (full.has("BootSourceOverrideTarget@Redfish.AllowableValues")) {
      assertThat(boot.has("BootSourceOverrideTarget@Redfish.AllowableValues")).isTrue();
    }
    assertThat(json(get(SYSTEM, "$select=*"))).isEqualTo(json(get(SYSTEM, null)));
  }

  @Test
  void selectWithExpandNarrowsEveryMember() throws Exception {
    JsonNode systems =
        json(get("/redfish/v1/Systems", "$select=SerialNumber&$expand=.($levels=1)"));
    assertThat(systems.path("Members@odata.count").asInt()).isEqualTo(1);
    JsonNode member = systems.path("Members").get(0);
    assertThat(member.propertyNames())
        .containsExactlyInAnyOrder("@odata.id", "@odata.type", "SerialNumber");
    assertThat(systems.has("Name")).isFalse();
  }

  @Test
  void filterKeepsTheMatchingMembersAndCountsThem() throws Exception {
    JsonNode bmcOnly = json(get(FIRMWARE, "$filter=Id eq 'BMC'"));
    assertThat(ids(bmcOnly)).containsExactly(FIRMWARE + "/BMC");
    assertThat(bmcOnly.path("Members@odata.count").asInt()).isEqualTo(1);

    assertThat(ids(json(get(FIRMWARE, "$filter=Version gt '2' and Updateable eq true"))))
        .containsExactly(FIRMWARE + "/BMC");
    assertThat(ids(json(get(FIRMWARE, "$filter=not (Id eq 'BMC') or Id eq 'BMC'")))).hasSize(2);
    assertThat(
            ids(
                json(
                    get(
                        FIRMWARE,
                        "$filter=(Id eq 'BIOS' or Id eq 'BMC') and Name ne 'BMC firmware'"))))
        .containsExactly(FIRMWARE + "/BIOS");
    assertThat(ids(json(get(FIRMWARE, "$filter=Oem/Vendor eq null")))).hasSize(2);
    assertThat(ids(json(get(FIRMWARE, "$filter=Id eq 'O''Brien'")))).isEmpty();
  }

  @Test
  void filterSeesTheCurrentState() throws Exception {
    assertThat(ids(json(get("/redfish/v1/Systems", "$filter=PowerState eq 'Off'"))))
        .containsExactly(SYSTEM);
    send("POST", SYSTEM + "/Actions/ComputerSystem.Reset", null, "{\"ResetType\":\"On\"}");
    assertThat(ids(json(get("/redfish/v1/Systems", "$filter=PowerState eq 'Off'")))).isEmpty();
  }

  @Test
  void filterComparesNumbersOnDmtfsMockup() throws Exception {
    String dir = System.getenv("OPSFLOW_REDFISH_MOCKUP");
    assumeTrue(
        dir != null && Files.isRegularFile(Path.of(dir, "index.json")),
        "OPSFLOW_REDFISH_MOCKUP does not name DMTF's public-rackmount1 mockup");
    try (var dmtf =
        RedfishSimulator.builder()
            .mockup(Mockup.fromDirectory(Path.of(dir)))
            .clock(new ManualClock())
            .httpPort(0)
            .start()) {
      String memory = "/redfish/v1/Systems/437XR1138R2/Memory";
      assertThat(ids(json(send(dmtf, "GET", memory, "$filter=CapacityMiB ge 16384", null))))
          .hasSize(3);
      assertThat(ids(json(send(dmtf, "GET", memory, "$filter=CapacityMiB gt 3.3e4", null))))
          .isEmpty();
      assertThat(ids(json(send(dmtf, "GET", memory, "$filter=Status/State eq 'Absent'", null))))
          .containsExactly(memory + "/DIMM4");
      assertThat(ids(json(send(dmtf, "GET", memory, "$filter=CapacityMiB eq null", null))))
          .containsExactly(memory + "/DIMM4");
      JsonNode root = json(send(dmtf, "GET", "/redfish/v1", null, null));
      assertThat(root.path("ProtocolFeaturesSupported").path("ExcerptQuery").asBoolean()).isFalse();
      assertThat(root.path("ProtocolFeaturesSupported").path("SelectQuery").asBoolean()).isTrue();
    }
  }

  @Test
  void filterThenExpandThenSelect() throws Exception {
    JsonNode firmware = json(get(FIRMWARE, "$filter=Id eq 'BIOS'&$expand=*&$select=Version"));
    assertThat(firmware.path("Members")).hasSize(1);
    assertThat(firmware.path("Members").get(0).path("Version").asString()).isEqualTo("1.4.2");
    assertThat(firmware.path("Members").get(0).has("Name")).isFalse();
  }

  @Test
  void malformedQueriesAnswer400NamingTheValue() throws Exception {
    for (String query :
        List.of(
            "$filter=Id eq",
            "$filter=Id eq 'BMC",
            "$filter=(Id eq 'BMC'",
            "$filter=Id 'BMC'",
            "$filter=Id eq 'BMC' xor Id eq 'BIOS'",
            "$select=Name,,Id",
            "$select=Status/",
            "only=yes")) {
      var answer = get(FIRMWARE, query);
      assertThat(answer.statusCode()).as(query).isEqualTo(400);
      assertThat(messageId(answer)).as(query).isEqualTo("Base.1.8.QueryParameterValueFormatError");
    }
    var typed = get(FIRMWARE, "$filter=Updateable eq 'yes'");
    assertThat(typed.statusCode()).isEqualTo(400);
    assertThat(messageId(typed)).isEqualTo("Base.1.8.QueryParameterValueTypeError");
    assertThat(json(typed).path("error").path("message").asString()).contains("'yes'");
  }

  @Test
  void unsupportedODataAnswers501() throws Exception {
    for (String query :
        List.of("$filter=contains(Id,'B')", "$filter=Id in ('BMC')", "$top=1", "$skip=1")) {
      var answer = get(FIRMWARE, query);
      assertThat(answer.statusCode()).as(query).isEqualTo(501);
      assertThat(messageId(answer)).as(query).isEqualTo("Base.1.8.QueryNotSupported");
    }
    assertThat(get(FIRMWARE, "excerpt&vendor=x").statusCode()).isEqualTo(200);
  }

  @Test
  void collectionQueriesOnASingleResourceAndQueriesOnWritesAnswer400() throws Exception {
    var onResource = get(SYSTEM, "$filter=Id eq 'x'");
    assertThat(onResource.statusCode()).isEqualTo(400);
    assertThat(messageId(onResource)).isEqualTo("Base.1.8.QueryNotSupportedOnResource");
    assertThat(messageId(get(SYSTEM, "only"))).isEqualTo("Base.1.8.QueryNotSupportedOnResource");

    var onPatch = send("PATCH", SYSTEM, "$select=AssetTag", "{\"AssetTag\":\"x\"}");
    assertThat(onPatch.statusCode()).isEqualTo(400);
    assertThat(messageId(onPatch)).isEqualTo("Base.1.8.QueryNotSupportedOnOperation");
    assertThat(bmc.resource(SYSTEM).path("AssetTag").asString()).isNotEqualTo("x");

    var combined = get("/redfish/v1/Systems", "only&$select=Id");
    assertThat(messageId(combined)).isEqualTo("Base.1.8.QueryCombinationInvalid");
    assertThat(json(get("/redfish/v1/Systems", "only")).path("@odata.id").asString())
        .isEqualTo(SYSTEM);
  }
}
