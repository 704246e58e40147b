package dev.opsflow.hardware.maas.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.testing.ManualClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Storage and network changes as MAAS's {@code partitions.py}, {@code blockdevices.py} and {@code
 * interfaces.py} make them, with MAAS's state rules and messages.
 */
class MaasStorageAndNetworkTest {
  private final ManualClock clock = new ManualClock();
  private MaasSimulator maas = MaasSimulator.start(clock);
  private final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dir;

  @AfterEach
  void stop() {
    maas.close();
  }

  private HttpResponse<String> call(String method, String path, String form) throws Exception {
    String[] key = maas.apiKey().reveal().split(":");
    var request =
        HttpRequest.newBuilder(URI.create(maas.baseUri() + "/api/2.0/" + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header(
                "Authorization",
                "OAuth oauth_version=\"1.0\", oauth_signature_method=\"PLAINTEXT\","
                    + " oauth_consumer_key=\""
                    + key[0]
                    + "\", oauth_token=\""
                    + key[1]
                    + "\", oauth_signature=\"%26"
                    + key[2]
                    + "\", oauth_nonce=\""
                    + UUID.randomUUID()
                    + "\", oauth_timestamp=\"1\"")
            .method(
                method,
                form == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode ok(String method, String path, String form) throws Exception {
    var answer = call(method, path, form);
    assertThat(answer.statusCode()).as(method + " " + path + ": " + answer.body()).isLessThan(300);
    return answer.body().isEmpty() ? null : Json.mapper().readTree(answer.body());
  }

  private static String disks(String id) {
    return "nodes/" + id + "/blockdevices/";
  }

  private int sdb(String id) throws Exception {
    return disk(id, "sdb");
  }

  private int sda(String id) throws Exception {
    return disk(id, "sda");
  }

  private int disk(String id, String name) throws Exception {
    for (JsonNode d : ok("GET", disks(id), null)) {
      if (d.path("name").asString().equals(name)) {
        return d.path("id").asInt();
      }
    }
    throw new AssertionError("no " + name);
  }

  @Test
  void commissioningLeavesMaassDefaultFlatLayoutOnTheBootDisk() throws Exception {
    String id = maas.addMachine("node01");
    assertThat(ok("GET", disks(id), null).get(0).path("used_for").asString()).isEqualTo("Unused");
    ok("POST", "machines/" + id + "/?op=commission", "");
    clock.advance(Duration.ofHours(1));
    JsonNode boot = ok("GET", "machines/" + id + "/", null).path("boot_disk");
    assertThat(boot.path("used_for").asString()).isEqualTo("GPT partitioned with 2 partitions");
    JsonNode parts = boot.path("partitions");
    assertThat(parts.get(0).path("filesystem").path("mount_point").asString())
        .isEqualTo("/boot/efi");
    assertThat(parts.get(1).path("used_for").asString())
        .isEqualTo("ext4 formatted filesystem mounted at /");
  }

  @Test
  void partitionsAreCreatedFormattedMountedAndDeletedOnAReadyMachine() throws Exception {
    String id = maas.addReadyMachine("node01");
    int disk = sdb(id);
    String parts = disks(id) + disk + "/partitions/";

    JsonNode efi = ok("POST", parts, "size=536870912&bootable=true");
    assertThat(efi.path("size").asLong()).isEqualTo(536870912L);
    assertThat(efi.path("bootable").asBoolean()).isTrue();
    assertThat(efi.path("path").asString()).isEqualTo("/dev/disk/by-dname/sdb-part1");
    JsonNode root = ok("POST", parts, "");
    String rootUri = disks(id) + disk + "/partition/" + root.path("id").asInt();

    ok("POST", rootUri + "?op=format", "fstype=ext4&label=root");
    JsonNode mounted = ok("POST", rootUri + "?op=mount", "mount_point=/&mount_options=noatime");
    assertThat(mounted.path("filesystem").path("mount_point").asString()).isEqualTo("/");
    assertThat(mounted.path("used_for").asString())
        .isEqualTo("ext4 formatted filesystem mounted at /");

    JsonNode sdb = ok("GET", disks(id) + disk + "/", null);
    assertThat(sdb.path("partition_table_type").asString()).isEqualTo("GPT");
    assertThat(sdb.path("used_for").asString()).isEqualTo("GPT partitioned with 2 partitions");
    assertThat(sdb.path("available_size").asLong()).isLessThan(4L << 20);
    assertThat(ok("GET", parts, null)).hasSize(2);

    // The whole disk is used: another partition does not fit.
    var full = call("POST", parts, "size=8M");
    assertThat(full.statusCode()).isEqualTo(400);
    assertThat(full.body()).contains("size").contains("not enough free space");

    assertThat(
            call("DELETE", disks(id) + disk + "/partition/" + efi.path("id").asInt(), null)
                .statusCode())
        .isEqualTo(204);
    assertThat(ok("GET", parts, null)).hasSize(1);
    assertThat(
            call("GET", disks(id) + disk + "/partition/" + efi.path("id").asInt(), null)
                .statusCode())
        .isEqualTo(404);
  }

  @Test
  void partitionsAreOnlyCreatedOnAReadyMachineAndFormattedOnReadyOrAllocated() throws Exception {
    String id = maas.addReadyMachine("node01");
    ok("POST", "machines/?op=allocate", "system_id=" + id);
    String parts = disks(id) + sda(id) + "/partitions/";
    var refused = call("POST", parts, "");
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(refused.body()).isEqualTo("Cannot create partition because the node is not Ready.");

    // Allocated: a disk can still be formatted and mounted.
    int data = sdb(id);
    ok("POST", disks(id) + data + "/?op=format", "fstype=xfs");
    JsonNode mounted = ok("POST", disks(id) + data + "/?op=mount", "mount_point=/srv");
    assertThat(mounted.path("used_for").asString())
        .isEqualTo("xfs formatted filesystem mounted at /srv");
    var boot = call("POST", disks(id) + data + "/?op=set_boot_disk", "");
    assertThat(boot.statusCode()).isEqualTo(409);
    assertThat(boot.body()).isEqualTo("Cannot set as boot disk because the machine is not Ready.");

    ok("POST", "machines/" + id + "/?op=deploy", "");
    clock.advance(Duration.ofHours(1));
    var deployed = call("POST", disks(id) + data + "/?op=unmount", "");
    assertThat(deployed.statusCode()).isEqualTo(409);
    assertThat(deployed.body())
        .isEqualTo("Cannot unmount block device because the machine is not Ready or Allocated.");
  }

  @Test
  void formErrorsAndPlainTextErrorsAreMaass() throws Exception {
    String id = maas.addReadyMachine("node01");
    int disk = sdb(id);
    String device = disks(id) + disk + "/";
    assertThat(call("POST", device + "?op=format", "").body())
        .contains("\"fstype\"")
        .contains("This field is required.");
    assertThat(call("POST", device + "?op=format", "fstype=ntfs").body())
        .contains("Select a valid choice. ntfs is not one of the available choices.");
    assertThat(call("POST", device + "?op=unformat", "").body())
        .isEqualTo("Block device is not formatted.");
    var unformatted = call("POST", device + "?op=mount", "mount_point=/data");
    assertThat(unformatted.statusCode()).isEqualTo(400);
    assertThat(unformatted.body())
        .contains("Cannot mount an unformatted partition or block device.");
    ok("POST", device + "?op=format", "fstype=ext4");
    assertThat(call("POST", device + "?op=mount", "mount_point=data").body())
        .contains("mount_point");
    ok("POST", device + "?op=mount", "mount_point=/data");
    var mounted = call("POST", device + "?op=unformat", "");
    assertThat(mounted.statusCode()).isEqualTo(400);
    assertThat(mounted.body()).startsWith("Filesystem is mounted and cannot be unformatted.");
    var partitioned = call("POST", device + "partitions/", "");
    assertThat(partitioned.statusCode()).isEqualTo(400);
    assertThat(call("POST", device + "partitions/", "size=1K").body()).doesNotContain("GPT");
    assertThat(call("GET", disks(id) + "999999/", null).statusCode()).isEqualTo(404);
    assertThat(call("POST", device + "?op=frobnicate", "").body())
        .isEqualTo("Unrecognised signature: method=POST op=frobnicate");
  }

  @Test
  void setBootDiskAndACustomLayoutWithoutRootStopsADeploy() throws Exception {
    String id = maas.addReadyMachine("node01");
    int data = sdb(id);
    var boot = call("POST", disks(id) + data + "/?op=set_boot_disk", "");
    assertThat(boot.statusCode()).isEqualTo(200);
    assertThat(ok("GET", "machines/" + id + "/", null).path("boot_disk").path("name").asString())
        .isEqualTo("sdb");

    String sdaParts = disks(id) + sda(id) + "/partition/";
    JsonNode root = ok("GET", disks(id) + sda(id) + "/partitions/", null).get(1);
    ok("POST", sdaParts + root.path("id").asInt() + "?op=unmount", "");
    var deploy = call("POST", "machines/" + id + "/?op=deploy", "");
    assertThat(deploy.statusCode()).isEqualTo(400);
    assertThat(deploy.body())
        .contains("Mount the root '/' filesystem to be able to deploy this node.");
    assertThat(maas.status(id).name()).isEqualTo("READY");

    ok("POST", disks(id) + data + "/?op=format", "fstype=ext4");
    ok("POST", disks(id) + data + "/?op=mount", "mount_point=/");
    ok("POST", "machines/" + id + "/?op=deploy", "");
    // Commissioning puts MAAS's default layout back.
    clock.advance(Duration.ofHours(1));
    ok("POST", "machines/" + id + "/?op=release", "");
    clock.advance(Duration.ofHours(1));
    ok("POST", "machines/" + id + "/?op=commission", "");
    clock.advance(Duration.ofHours(1));
    JsonNode machine = ok("GET", "machines/" + id + "/", null);
    assertThat(machine.path("boot_disk").path("name").asString()).isEqualTo("sda");
    assertThat(machine.path("boot_disk").path("partitions").get(1).path("used_for").asString())
        .isEqualTo("ext4 formatted filesystem mounted at /");
    assertThat(ok("GET", disks(id) + data + "/", null).path("filesystem").isNull()).isTrue();
  }

  @Test
  void linksAreAddedAndRemovedAndADeployUsesThem() throws Exception {
    String id = maas.addReadyMachine("node01");
    JsonNode nic = ok("GET", "nodes/" + id + "/interfaces/", null).get(0);
    String uri = "nodes/" + id + "/interfaces/" + nic.path("id").asInt() + "/";
    int auto = nic.path("links").get(0).path("id").asInt();

    JsonNode linked =
        ok("POST", uri + "?op=link_subnet", "mode=STATIC&subnet=1&ip_address=10.20.7.7");
    assertThat(linked.path("links")).hasSize(2);
    assertThat(linked.path("links").get(1).path("ip_address").asString()).isEqualTo("10.20.7.7");
    assertThat(
            call("POST", uri + "?op=link_subnet", "mode=STATIC&subnet=1&ip_address=10.99.0.1")
                .body())
        .contains("IP address is not in the given subnet '10.20.0.0/16'.");
    assertThat(call("POST", uri + "?op=link_subnet", "mode=bogus&subnet=1").body())
        .contains("'bogus' is not a valid mode.");
    assertThat(call("POST", uri + "?op=link_subnet", "mode=AUTO&subnet=99").body())
        .contains("Select a valid choice.");
    assertThat(call("POST", uri + "?op=link_subnet", "mode=LINK_UP").body())
        .contains("Specify force=True");

    ok("POST", uri + "?op=unlink_subnet", "id=" + auto);
    assertThat(call("POST", uri + "?op=unlink_subnet", "id=" + auto).body())
        .contains("is not a valid id");

    ok("POST", "machines/" + id + "/?op=deploy", "");
    clock.advance(Duration.ofHours(1));
    JsonNode machine = ok("GET", "machines/" + id + "/", null);
    assertThat(machine.path("status_name").asString()).isEqualTo("Deployed");
    assertThat(machine.path("ip_addresses").toString()).isEqualTo("[\"10.20.7.7\"]");
    var locked = call("POST", uri + "?op=link_subnet", "mode=DHCP&subnet=1");
    assertThat(locked.statusCode()).isEqualTo(409);
    assertThat(locked.body())
        .isEqualTo(
            "Cannot link subnet interface because the machine is not New, Ready, Allocated, or"
                + " Broken.");
  }

  @Test
  void aRefusedDeployLeavesAReadyMachineReadyAndUnowned() throws Exception {
    String id = maas.addReadyMachine("node01");
    var deploy = call("POST", "machines/" + id + "/?op=deploy", "distro_series=bionic");
    assertThat(deploy.statusCode()).isEqualTo(400);
    JsonNode machine = ok("GET", "machines/" + id + "/", null);
    assertThat(machine.path("status_name").asString()).isEqualTo("Ready");
    assertThat(machine.path("owner").isNull()).isTrue();
  }

  @Test
  void aMachineWithOnlyALinkUpLinkIsNotOnANetwork() throws Exception {
    String id = maas.addReadyMachine("node01");
    JsonNode nic = ok("GET", "nodes/" + id + "/interfaces/", null).get(0);
    String uri = "nodes/" + id + "/interfaces/" + nic.path("id").asInt() + "/";
    JsonNode up = ok("POST", uri + "?op=link_subnet", "mode=link_up&force=true");
    assertThat(up.path("links")).hasSize(1);
    assertThat(up.path("links").get(0).has("subnet")).isFalse();
    var deploy = call("POST", "machines/" + id + "/?op=deploy", "");
    assertThat(deploy.statusCode()).isEqualTo(400);
    assertThat(deploy.body()).contains("Node must be configured to use a network");
  }

  @Test
  void theLayoutAndLinksSurviveARestartWithState() throws Exception {
    maas.close();
    maas = MaasSimulator.start(clock, 0, dir);
    String id = maas.addReadyMachine("node01");
    int disk = sdb(id);
    ok("POST", disks(id) + disk + "/partitions/", "size=10G");
    JsonNode nic = ok("GET", "nodes/" + id + "/interfaces/", null).get(0);
    ok(
        "POST",
        "nodes/" + id + "/interfaces/" + nic.path("id").asInt() + "/?op=link_subnet",
        "mode=static&subnet=10.20.0.0/16&ip_address=10.20.9.9");
    JsonNode before = ok("GET", "machines/" + id + "/", null);
    maas.close();
    maas = MaasSimulator.start(clock, 0, dir);
    JsonNode after = ok("GET", "machines/" + id + "/", null);
    assertThat(after.path("blockdevice_set")).isEqualTo(before.path("blockdevice_set"));
    assertThat(after.path("interface_set")).isEqualTo(before.path("interface_set"));
    assertThat(ok("GET", disks(id) + disk + "/partitions/", null).get(0).path("size").asLong())
        .isEqualTo(10_000_000_000L - 10_000_000_000L % (4L << 20));
  }
}
