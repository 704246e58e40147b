package dev.opsflow.hardware.maas.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.hardware.maas.MaasStatus;
import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.testing.ManualClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The MAAS simulator's objects against the fields MAAS 3.x renders: the {@code DISPLAYED_*_FIELDS}
 * tuples of MAAS's API handlers ({@code src/maasserver/api/machines.py}, {@code interfaces.py},
 * {@code blockdevices.py}, {@code zones.py}, {@code resourcepools.py}, {@code domains.py}, {@code
 * subnets.py}, {@code vlans.py}, {@code spaces.py}), plus {@code resource_uri} which MAAS adds to
 * each.
 */
class MaasSimulatorFidelityTest {
  static final List<String> MACHINE_FIELDS =
      List.of(
          "system_id",
          "hostname",
          "description",
          "hardware_uuid",
          "domain",
          "fqdn",
          "owner",
          "owner_data",
          "locked",
          "cache_sets",
          "bcaches",
          "bios_boot_method",
          "boot_interface",
          "architecture",
          "min_hwe_kernel",
          "hwe_kernel",
          "cpu_count",
          "cpu_speed",
          "memory",
          "swap_size",
          "storage",
          "status",
          "osystem",
          "distro_series",
          "ephemeral_deploy",
          "error_description",
          "netboot",
          "power_type",
          "power_state",
          "tag_names",
          "address_ttl",
          "ip_addresses",
          "interface_set",
          "zone",
          "pool",
          "disable_ipv4",
          "boot_disk",
          "blockdevice_set",
          "physicalblockdevice_set",
          "virtualblockdevice_set",
          "volume_groups",
          "raids",
          "status_action",
          "status_message",
          "status_name",
          "node_type",
          "node_type_name",
          "special_filesystems",
          "parent",
          "pod",
          "default_gateways",
          "current_commissioning_result_id",
          "current_testing_result_id",
          "current_installation_result_id",
          "commissioning_status",
          "commissioning_status_name",
          "testing_status",
          "testing_status_name",
          "cpu_test_status",
          "cpu_test_status_name",
          "memory_test_status",
          "memory_test_status_name",
          "network_test_status",
          "network_test_status_name",
          "storage_test_status",
          "storage_test_status_name",
          "other_test_status",
          "other_test_status_name",
          "hardware_info",
          "interface_test_status",
          "interface_test_status_name",
          "numanode_set",
          "virtualmachine_id",
          "workload_annotations",
          "last_sync",
          "sync_interval",
          "next_sync",
          "enable_hw_sync",
          "resource_uri");
  static final List<String> INTERFACE_FIELDS =
      List.of(
          "system_id",
          "id",
          "name",
          "type",
          "vlan",
          "mac_address",
          "parents",
          "children",
          "tags",
          "enabled",
          "links",
          "params",
          "discovered",
          "effective_mtu",
          "vendor",
          "product",
          "firmware_version",
          "link_connected",
          "interface_speed",
          "link_speed",
          "numa_node",
          "sriov_max_vf",
          "resource_uri");
  static final List<String> BLOCKDEVICE_FIELDS =
      List.of(
          "system_id",
          "id",
          "name",
          "uuid",
          "type",
          "path",
          "model",
          "serial",
          "id_path",
          "size",
          "block_size",
          "available_size",
          "used_size",
          "used_for",
          "tags",
          "filesystem",
          "partition_table_type",
          "partitions",
          "firmware_version",
          "storage_pool",
          "numa_node",
          "resource_uri");
  static final List<String> SUBNET_FIELDS =
      List.of(
          "id",
          "name",
          "description",
          "vlan",
          "space",
          "cidr",
          "gateway_ip",
          "dns_servers",
          "rdns_mode",
          "active_discovery",
          "allow_dns",
          "allow_proxy",
          "managed",
          "disabled_boot_architectures",
          "resource_uri");
  static final List<String> VLAN_FIELDS =
      List.of(
          "id",
          "name",
          "vid",
          "fabric",
          "fabric_id",
          "mtu",
          "primary_rack",
          "secondary_rack",
          "dhcp_on",
          "external_dhcp",
          "relay_vlan",
          "space",
          "resource_uri");

  private final ManualClock clock = new ManualClock();
  private MaasSimulator maas = MaasSimulator.start(clock);
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    maas.close();
  }

  private HttpResponse<byte[]> call(String method, String path, String form, boolean auth)
      throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create(maas.baseUri() + "/api/2.0/" + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .method(
                method,
                form == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(form));
    if (auth) {
      String[] key = maas.apiKey().reveal().split(":");
      request.header(
          "Authorization",
          "OAuth oauth_version=\"1.0\", oauth_signature_method=\"PLAINTEXT\", oauth_consumer_key=\""
              + key[0]
              + "\", oauth_token=\""
              + key[1]
              + "\", oauth_signature=\"%26"
              + key[2]
              + "\", oauth_nonce=\""
              + UUID.randomUUID()
              + "\", oauth_timestamp=\"1\"");
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private JsonNode json(String method, String path, String form) throws Exception {
    var answer = call(method, path, form, true);
    assertThat(answer.statusCode()).as(new String(answer.body())).isLessThan(300);
    return Json.mapper().readTree(answer.body());
  }

  @Test
  void aMachineCarriesEveryFieldMaasRenders() throws Exception {
    String id = maas.addReadyMachine("node01");
    JsonNode machine = json("GET", "machines/" + id + "/", null);

    assertThat(machine.propertyNames()).containsAll(MACHINE_FIELDS);
    JsonNode nic = machine.path("interface_set").get(0);
    assertThat(nic.propertyNames()).containsAll(INTERFACE_FIELDS);
    assertThat(nic.path("vlan").propertyNames()).containsAll(VLAN_FIELDS);
    JsonNode link = nic.path("links").get(0);
    assertThat(link.path("subnet").propertyNames()).containsAll(SUBNET_FIELDS);
    assertThat(machine.path("boot_disk").propertyNames()).containsAll(BLOCKDEVICE_FIELDS);
    assertThat(machine.path("zone").propertyNames())
        .containsExactlyInAnyOrder("id", "name", "description", "resource_uri");
    assertThat(machine.path("pool").propertyNames())
        .containsExactlyInAnyOrder("id", "name", "description", "resource_uri");
    assertThat(machine.path("domain").path("ttl").isNull()).isTrue();
    assertThat(machine.path("owner").isNull()).isTrue();
    assertThat(machine.path("node_type_name").asString()).isEqualTo("Machine");
  }

  @Test
  void versionAndDescribeAreAnonymousAndEverythingElseNeedsTheKey() throws Exception {
    assertThat(call("GET", "version/", null, false).statusCode()).isEqualTo(200);
    JsonNode describe = Json.mapper().readTree(call("GET", "describe/", null, false).body());
    assertThat(describe.path("resources").findValuesAsString("path"))
        .contains("/MAAS/api/2.0/machines/{system_id}/");
    assertThat(call("GET", "machines/", null, false).statusCode()).isEqualTo(401);
    for (String collection :
        List.of(
            "zones/",
            "resourcepools/",
            "subnets/",
            "fabrics/",
            "spaces/",
            "domains/",
            "devices/",
            "users/")) {
      assertThat(call("GET", collection, null, true).statusCode()).as(collection).isEqualTo(200);
    }
  }

  @Test
  void machinesAreCreatedUpdatedAndDeletedWithFormValidation() throws Exception {
    var bad = call("POST", "machines/", "architecture=z80&mac_addresses=52:54:00:00:00:01", true);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(new String(bad.body())).contains("architecture").contains("z80");

    JsonNode created =
        json(
            "POST",
            "machines/",
            "architecture=amd64/generic&mac_addresses=52:54:00:00:00:01&hostname=web01&commission=false");
    String id = created.path("system_id").asString();
    assertThat(created.path("status_name").asString()).isEqualTo("New");

    assertThat(
            json("PUT", "machines/" + id + "/", "description=rack+7&zone=default")
                .path("description")
                .asString())
        .isEqualTo("rack 7");
    assertThat(call("PUT", "machines/" + id + "/", "zone=nosuch", true).statusCode())
        .isEqualTo(400);
    assertThat(call("DELETE", "machines/" + id + "/", null, true).statusCode()).isEqualTo(204);
    assertThat(call("GET", "machines/" + id + "/", null, true).statusCode()).isEqualTo(404);
  }

  @Test
  void powerParametersAndDetailsAreServed() throws Exception {
    String id = maas.addReadyMachine("node01");
    assertThat(json("GET", "machines/" + id + "/?op=power_parameters", null).has("power_address"))
        .isTrue();
    assertThat(json("GET", "machines/?op=power_parameters&id=" + id, null).has(id)).isTrue();

    var details = call("GET", "machines/" + id + "/?op=details", null, true);
    assertThat(details.statusCode()).isEqualTo(200);
    assertThat(details.headers().firstValue("Content-Type")).contains("application/bson");
    byte[] bson = details.body();
    assertThat(ByteBuffer.wrap(bson, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt())
        .isEqualTo(bson.length);
    assertThat(new String(bson)).contains("lshw").contains("<vendor>Opsflow</vendor>");
  }

  @Test
  void releaseClearsTheDeployedOperatingSystem() throws Exception {
    String id = maas.addReadyMachine("node01");
    json("POST", "machines/" + id + "/?op=deploy", "distro_series=jammy");
    clock.advance(Duration.ofMinutes(20));
    JsonNode deployed = json("GET", "machines/" + id + "/", null);
    assertThat(deployed.path("osystem").asString()).isEqualTo("ubuntu");
    assertThat(deployed.path("netboot").asBoolean()).isFalse();

    JsonNode released = json("POST", "machines/" + id + "/?op=release", null);
    assertThat(released.path("osystem").asString()).isEmpty();
    assertThat(released.path("distro_series").asString()).isEmpty();
    assertThat(released.path("owner").isNull()).isTrue();
  }

  @Test
  void aRestartedSimulatorGoesOnWithTheSameRack(@TempDir Path dir) throws Exception {
    maas.close();
    maas = MaasSimulator.start(clock, 0, dir);
    String id = maas.addMachine("node01");
    String key = maas.apiKey().reveal();
    json("POST", "machines/" + id + "/?op=commission", null);
    maas.close();

    maas = MaasSimulator.start(clock, 0, dir);
    assertThat(maas.apiKey().reveal()).isEqualTo(key);
    assertThat(maas.status(id)).isEqualTo(MaasStatus.COMMISSIONING);
    clock.advance(Duration.ofMinutes(10));
    assertThat(maas.status(id)).isEqualTo(MaasStatus.READY);
  }
}
