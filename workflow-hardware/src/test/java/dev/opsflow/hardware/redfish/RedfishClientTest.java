package dev.opsflow.hardware.redfish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.hardware.redfish.RedfishSettings.AuthMode;
import dev.opsflow.hardware.redfish.testing.Mockup;
import dev.opsflow.hardware.redfish.testing.RedfishSimulator;
import dev.opsflow.hardware.testing.InStep;
import dev.opsflow.hardware.testing.RecordedRequest;
import dev.opsflow.workflow.ApiException;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.StepTimeoutException;
import dev.opsflow.workflow.WorkflowException;
import dev.opsflow.workflow.http.HttpSettings;
import dev.opsflow.workflow.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RedfishClientTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final RedfishSimulator bmc = RedfishSimulator.start(Mockup.builtIn(), clock);

  @AfterEach
  void stop() {
    bmc.close();
  }

  private RedfishClient connect() {
    return RedfishClient.connect(bmc.settings());
  }

  @Test
  void logsInWithASessionAndDeletesItOnClose() {
    try (RedfishClient client = connect()) {
      assertThat(client.usesSession()).isTrue();
      assertThat(bmc.openSessions()).isEqualTo(1);
      client.systems();
    }
    assertThat(bmc.openSessions()).isZero();
    assertThat(bmc.requests()).extracting(RecordedRequest::method).contains("DELETE");
    assertThat(bmc.requests()).noneMatch(r -> r.body().contains(bmc.password().reveal()));
  }

  @Test
  void fallsBackToBasicAuthWhenTheServiceHasNoSessions() {
    bmc.disableSessions();
    try (RedfishClient client = connect()) {
      assertThat(client.usesSession()).isFalse();
      assertThat(client.systems()).hasSize(1);
    }
  }

  @Test
  void aWrongPasswordIsAnAuthErrorNamingTheServiceWithoutThePassword() {
    var settings =
        new RedfishSettings(
            bmc.settings().http(), bmc.username(), Secret.of("Wr0ng-pass"), AuthMode.SESSION);

    assertThatThrownBy(() -> RedfishClient.connect(settings))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.AUTH);
              assertThat(e.status()).isEqualTo(401);
            })
        .hasMessageContaining("Redfish " + bmc.origin())
        .hasMessageNotContaining("Wr0ng-pass");
  }

  @Test
  void followsLinksFromTheServiceRootRatherThanAssumingSystems1() {
    try (RedfishClient client = connect()) {
      String system = client.systems().get(0);

      assertThat(system).isEqualTo("/redfish/v1/Systems/SRV-A1B2C3");
      assertThat(client.system(system).resetTypes()).contains("ForceRestart");
    }
    assertThat(bmc.requests()).noneMatch(r -> r.path().contains("/Systems/1"));
  }

  @Test
  void resetThroughTheActionTargetChangesPowerState() {
    try (RedfishClient client = connect()) {
      String system = client.systems().get(0);
      assertThat(client.powerState(system)).isEqualTo("Off");

      client.reset(system, "On");
      assertThat(client.powerState(system)).isEqualTo("On");
      client.reset(system, "ForceOff");
      assertThat(client.powerState(system)).isEqualTo("Off");
      assertThatThrownBy(() -> client.reset(system, "Nmi"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Nmi");
    }
    assertThat(bmc.requests())
        .extracting(RecordedRequest::line)
        .contains("POST /redfish/v1/Systems/SRV-A1B2C3/Actions/ComputerSystem.Reset");
  }

  @Test
  void bootOverrideIsPatchedOnTheSystemWithIfMatch() {
    try (RedfishClient client = connect()) {
      String system = client.systems().get(0);

      client.setBootOverride(system, "Pxe", "Once", "UEFI");

      assertThat(client.get(system).path("Boot").path("BootSourceOverrideTarget").asString())
          .isEqualTo("Pxe");
      assertThatThrownBy(() -> client.setBootOverride(system, "Floppy", "Once", null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Floppy");
    }
    assertThat(bmc.requests())
        .filteredOn(r -> r.method().equals("PATCH"))
        .singleElement()
        .satisfies(r -> assertThat(r.headers()).containsKey("if-match"));
  }

  @Test
  void biosChangesGoToTheSettingsObjectWithIfMatchAndApplyOnTheNextReset() {
    try (RedfishClient client = connect()) {
      String system = client.systems().get(0);
      BiosSettings before = client.bios(system);
      assertThat(before.settingsUri()).endsWith("/Bios/Settings");

      client.setBiosAttributes(system, Map.of("SriovGlobalEnable", "Enabled"), ApplyTime.ON_RESET);
      assertThat(client.bios(system).attributes()).containsEntry("SriovGlobalEnable", "Disabled");
      assertThat(client.pendingBiosAttributes(system))
          .containsEntry("SriovGlobalEnable", "Enabled");

      client.reset(system, "On");
      assertThat(client.bios(system).attributes()).containsEntry("SriovGlobalEnable", "Enabled");
    }
    assertThat(bmc.requests())
        .filteredOn(r -> r.method().equals("PATCH"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.path()).endsWith("/Bios/Settings");
              assertThat(r.headers()).containsKey("if-match");
              assertThat(r.body())
                  .contains("\"@Redfish.SettingsApplyTime\":{\"ApplyTime\":\"OnReset\"}");
            });
  }

  @Test
  void immediateBiosChangesApplyAtOnceAndUnknownAttributesAreRefused() {
    try (RedfishClient client = connect()) {
      String system = client.systems().get(0);
      client.setBiosAttributes(system, Map.of("PowerProfile", "PowerSaving"), ApplyTime.IMMEDIATE);
      assertThat(client.bios(system).attributes()).containsEntry("PowerProfile", "PowerSaving");

      assertThatThrownBy(
              () -> client.setBiosAttributes(system, Map.of("NoSuch", 1), ApplyTime.ON_RESET))
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
          .hasMessageContaining("PropertyUnknown");
      assertThatThrownBy(
              () ->
                  client.setBiosAttributes(
                      system, Map.of("BootMode", "Uefi"), ApplyTime.AT_MAINTENANCE_WINDOW_START))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("applyTime");
    }
  }

  @Test
  void firmwareInventoryListsEveryItem() {
    try (RedfishClient client = connect()) {
      assertThat(client.firmwareInventory())
          .extracting(FirmwareItem::id, FirmwareItem::version)
          .contains(
              org.assertj.core.groups.Tuple.tuple("BIOS", "1.4.2"),
              org.assertj.core.groups.Tuple.tuple("BMC", "2.10.0"));
    }
  }

  @Test
  void simpleUpdateIsFollowedThroughItsTaskMonitorToCompleted() {
    try (RedfishClient client = connect()) {
      String bios = "/redfish/v1/UpdateService/FirmwareInventory/BIOS";
      RedfishTask done =
          InStep.call(
              clock,
              ctx -> {
                String monitor =
                    client.simpleUpdate(
                        "http://repo.example/fw/bios-1.5.0.bin", "HTTP", List.of(bios));
                assertThat(client.task(monitor).isFinished()).isFalse();
                return client.awaitTask(ctx, monitor, Duration.ofMinutes(30));
              });

      assertThat(done.state()).isEqualTo("Completed");
      assertThat(client.firmwareInventory())
          .filteredOn(f -> f.id().equals("BIOS"))
          .extracting(FirmwareItem::version)
          .containsExactly("bios-1.5.0");
    }
  }

  @Test
  void aMonitorDeletedAfterTheTaskEndsIsAnsweredFromTheTask() {
    bmc.deleteMonitorsWhenDone(true);
    try (RedfishClient client = connect()) {
      RedfishTask done =
          InStep.call(
              clock,
              ctx ->
                  client.awaitTask(
                      ctx,
                      client.simpleUpdate("http://repo.example/fw/bmc-3.0.bin", null, List.of()),
                      Duration.ofMinutes(30)));

      assertThat(done.state()).isEqualTo("Completed");
      assertThat(done.uri()).startsWith("/redfish/v1/TaskService/Tasks/");
    }
  }

  @Test
  void aFailedUpdateEndsTheWaitWithTheTaskMessages() {
    bmc.failUpdates("Image signature verification failed");
    try (RedfishClient client = connect()) {
      assertThatThrownBy(
              () ->
                  InStep.call(
                      clock,
                      ctx ->
                          client.awaitTask(
                              ctx,
                              client.simpleUpdate(
                                  "http://repo.example/fw/bad.bin", null, List.of()),
                              Duration.ofMinutes(30))))
          .isInstanceOfSatisfying(
              WorkflowException.class,
              e -> assertThat(e.kind()).isEqualTo(ErrorKind.REMOTE_FAILURE))
          .hasMessageContaining("Exception")
          .hasMessageContaining("signature verification");
    }
  }

  @Test
  void aStuckUpdateTimesOutWithTheLastState() {
    bmc.stickUpdates(true);
    try (RedfishClient client = connect()) {
      assertThatThrownBy(
              () ->
                  InStep.call(
                      clock,
                      ctx ->
                          client.awaitTask(
                              ctx,
                              client.simpleUpdate("http://repo.example/fw/x.bin", null, List.of()),
                              Duration.ofMinutes(15))))
          .isInstanceOf(StepTimeoutException.class)
          .hasMessageContaining("Running");
    }
  }

  @Test
  void bmcNetworkGetsAStaticAddressWithDhcpOff() {
    try (RedfishClient client = connect()) {
      String nic = client.managerEthernetInterfaces(client.managers().get(0)).get(0);
      assertThat(client.ethernetInterface(nic).dhcpEnabled()).isTrue();

      client.setStaticIpv4(nic, "10.0.5.20", "255.255.255.0", "10.0.5.1");

      BmcNetworkInterface after = client.ethernetInterface(nic);
      assertThat(after.dhcpEnabled()).isFalse();
      assertThat(after.ipv4Addresses())
          .singleElement()
          .satisfies(
              a -> {
                assertThat(a.address()).isEqualTo("10.0.5.20");
                assertThat(a.gateway()).isEqualTo("10.0.5.1");
                assertThat(a.origin()).isEqualTo("Static");
              });
      assertThatThrownBy(() -> client.setStaticIpv4(nic, "10.0.5.300", "255.255.255.0", "10.0.5.1"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("address");
    }
  }

  @Test
  void anExpiredSessionIsRenewedOnce() {
    try (RedfishClient client = connect()) {
      bmc.expireSessions();

      assertThat(client.systems()).hasSize(1);
      assertThat(bmc.openSessions()).isEqualTo(1);
    }
  }

  @Test
  void injectedServerErrorsAreRetryableRedfishErrors() {
    try (RedfishClient client = connect()) {
      bmc.failNext(1, 503);

      assertThatThrownBy(client::systems)
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.retryable()).isTrue())
          .hasMessageContaining("503");
      assertThat(client.systems()).hasSize(1);
    }
  }

  @Test
  void anUnreachableServiceIsAConnectionError() {
    String origin = bmc.origin();
    bmc.close();

    assertThatThrownBy(
            () -> RedfishClient.connect(RedfishSettings.of(origin, "admin", Secret.of("x"))))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONNECTION))
        .hasMessageContaining(origin.replace("https://", ""));
  }

  /** A BMC's self-signed certificate is refused unless trusted: TLS is verified by default. */
  @Test
  void aSelfSignedCertificateIsRefusedUnlessTrusted() {
    var untrusted = RedfishSettings.of(bmc.origin(), bmc.username(), bmc.password());

    assertThatThrownBy(() -> RedfishClient.connect(untrusted))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("127.0.0.1")
        .hasMessageNotContaining(bmc.password().reveal());
    assertThat(bmc.requests()).isEmpty();

    var trusted =
        untrusted.withHttp(HttpSettings.of(bmc.origin()).withTrustedPem(bmc.certificatePem()));
    try (RedfishClient client = RedfishClient.connect(trusted)) {
      assertThat(client.systems()).hasSize(1);
    }
  }
}
