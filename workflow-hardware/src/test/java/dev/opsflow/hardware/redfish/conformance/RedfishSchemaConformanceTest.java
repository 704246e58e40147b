package dev.opsflow.hardware.redfish.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.hardware.redfish.testing.Mockup;
import dev.opsflow.hardware.redfish.testing.RedfishSimulator;
import dev.opsflow.workflow.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every resource the Redfish simulator serves, and the ones it makes (sessions, update tasks,
 * errors), validated against DMTF's published JSON Schema for its {@code @odata.type}.
 */
class RedfishSchemaConformanceTest {
  private static final DmtfSchemas SCHEMAS = new DmtfSchemas();
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void everyResourceOfTheBuiltInMockupMatchesItsSchema() throws Exception {
    try (var bmc = RedfishSimulator.builder().httpPort(0).start()) {
      List<String> errors = crawl(bmc);
      assertThat(errors).isEmpty();
    }
  }

  @Test
  void everyResourceOfDmtfsMockupMatchesItsSchema() throws Exception {
    String env = System.getenv("OPSFLOW_REDFISH_MOCKUP");
    Path dir =
        env != null
            ? Path.of(env)
            : Path.of("../../shared/fixtures/redfish/public-rackmount1")
                .toAbsolutePath()
                .normalize();
    Assumptions.assumeTrue(
        Files.isDirectory(dir), "DMTF's mockup is not beside the repository at " + dir);
    try (var bmc =
        RedfishSimulator.builder()
            .mockup(Mockup.fromDirectory(dir))
            .clock(Clock.systemUTC())
            .httpPort(0)
            .start()) {
      List<String> errors = crawl(bmc);
      assertThat(errors)
          .as("errors other than the defects of DMTF's mockup data listed in MOCKUP_DEFECTS")
          .filteredOn(e -> MOCKUP_DEFECTS.stream().noneMatch(e::matches))
          .isEmpty();
      assertThat(SCHEMAS.brokenPatterns()).allMatch(p -> p.contains("Passphrase"));
    }
  }

  /**
   * Where DMTF's public-rackmount1 mockup data disagrees with DMTF's own published schemas (the
   * simulator serves mockup data as it is; these are not its errors): timestamps without seconds or
   * offset ({@code 2012-03-07T14:44+06:00}, {@code 2017-08-22T12:00:00}) where RFC 3339 is
   * required; a misspelt {@code MeasurmentType} and {@code Residency} properties the schemas do not
   * define; required {@code Name}, {@code Id}, {@code @odata.id} or {@code SubscriptionType} left
   * out of some resources; ComponentIntegrity's MeasurementSet typed null in the schema version it
   * names while the mockup fills it.
   */
  private static final List<String> MOCKUP_DEFECTS =
      List.of(
          "/redfish/v1/ComponentIntegrity/.*",
          "/redfish/v1/TaskService/Tasks/545: /(Start|End)Time: does not match the date-time.*",
          "/redfish/v1/UpdateService/FirmwareInventory/\\w+: /ReleaseDate: does not match the date-time.*",
          "/redfish/v1/EventService/Subscriptions/\\d+: : required property 'SubscriptionType'.*",
          "/redfish/v1/Chassis/1U/EnvironmentMetrics: : required property 'Id'.*",
          "/redfish/v1/Managers/BMC/SecurityPolicy: : required property 'Name'.*",
          "/redfish/v1/Systems/437XR1138R2/Certificates/contoso-root: : required property '@odata.id'.*",
          "/redfish/v1/Chassis/1U/TrustedComponents/[\\w-]+: : required property 'Name'.*",
          "/redfish/v1/Managers/BMC/DedicatedNetworkPorts/1: : required property '(Id|Name)'.*",
          ".*/ProcessorMetrics: /CoreMetrics/\\d+/CStateResidency/\\d+: property 'Residency' is not"
              + " defined.*");

  @Test
  void sessionsTasksAndErrorsTheSimulatorMakesMatchTheirSchemas() throws Exception {
    try (var bmc = RedfishSimulator.builder().httpPort(0).start()) {
      String base = bmc.plainOrigin().orElseThrow();
      JsonNode session =
          send(
              bmc,
              "POST",
              base + "/redfish/v1/SessionService/Sessions",
              "{\"UserName\":\"admin\",\"Password\":\"" + bmc.password().reveal() + "\"}",
              false);
      assertThat(messages(SCHEMAS.validate(session))).isEmpty();

      JsonNode task =
          send(
              bmc,
              "POST",
              base + "/redfish/v1/UpdateService/Actions/UpdateService.SimpleUpdate",
              "{\"ImageURI\":\"http://10.0.0.1/bios-2.2.0.bin\",\"Targets\":"
                  + "[\"/redfish/v1/UpdateService/FirmwareInventory/BIOS\"]}",
              true);
      assertThat(messages(SCHEMAS.validate(task))).isEmpty();

      JsonNode error =
          send(
              bmc,
              "PATCH",
              base + "/redfish/v1/Systems/SRV-A1B2C3",
              "{\"PowerState\":\"On\"}",
              true);
      assertThat(error.path("error").path("code").asString()).endsWith("PropertyNotWritable");
      assertThat(messages(SCHEMAS.validate("redfish-error.v1_0_2.json", error))).isEmpty();
    }
  }

  /** Lists the schema files read, to refresh the copy in test resources (see DmtfSchemas). */
  @org.junit.jupiter.api.AfterAll
  static void recordLoadedSchemas() throws Exception {
    String record = System.getProperty("opsflow.redfish.schemas.record");
    if (record != null) {
      Files.write(Path.of(record), new java.util.TreeSet<>(SCHEMAS.loaded()));
    }
  }

  /** GETs every resource reachable from the service root; returns the schema errors found. */
  private List<String> crawl(RedfishSimulator bmc) throws Exception {
    String base = bmc.plainOrigin().orElseThrow();
    Set<String> seen = new LinkedHashSet<>();
    var queue = new ArrayDeque<String>(List.of("/redfish/v1"));
    var errors = new ArrayList<String>();
    while (!queue.isEmpty()) {
      String path = queue.poll();
      if (!seen.add(path)) {
        continue;
      }
      var answer =
          http.send(
              HttpRequest.newBuilder(URI.create(base + path))
                  .header("Authorization", basic(bmc))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 200) {
        continue;
      }
      JsonNode resource = Json.mapper().readTree(answer.body());
      if (resource.has("@odata.type")) {
        SCHEMAS.validate(resource).forEach(e -> errors.add(path + ": " + e));
      }
      links(resource, queue);
    }
    assertThat(seen).hasSizeGreaterThan(10);
    return errors;
  }

  private static void links(JsonNode node, ArrayDeque<String> queue) {
    if (node.isObject()) {
      node.properties()
          .forEach(
              e -> {
                if (e.getKey().equals("@odata.id") && e.getValue().isString()) {
                  String link = e.getValue().asString();
                  if (link.startsWith("/redfish/v1") && !link.contains("#")) {
                    queue.add(link.replaceAll("/+$", ""));
                  }
                } else {
                  links(e.getValue(), queue);
                }
              });
    } else if (node.isArray()) {
      node.forEach(n -> links(n, queue));
    }
  }

  private JsonNode send(RedfishSimulator bmc, String method, String url, String body, boolean auth)
      throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body));
    if (auth) {
      request.header("Authorization", basic(bmc));
    }
    return Json.mapper()
        .readTree(http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body());
  }

  private static List<String> messages(List<com.networknt.schema.Error> errors) {
    return errors.stream().map(Object::toString).toList();
  }

  private static String basic(RedfishSimulator bmc) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString(("admin:" + bmc.password().reveal()).getBytes(StandardCharsets.UTF_8));
  }
}
