package dev.opsflow.hardware.ipmi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.WorkflowException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class IpmiClientTest {
  private static final String PASSWORD = "s3cret-Pw";
  private final List<CommandRequest> requests = new ArrayList<>();

  private IpmiClient client(Function<CommandRequest, CommandResult> answer) {
    CommandRunner runner =
        request -> {
          requests.add(request);
          return answer.apply(request);
        };
    return IpmiClient.create(IpmiSettings.of("10.0.0.5", "admin", Secret.of(PASSWORD)), runner);
  }

  private static CommandResult ok(String stdout) {
    return new CommandResult("ipmitool", 0, stdout, "", Duration.ofMillis(5));
  }

  private static CommandResult failed(String stderr) {
    return new CommandResult("ipmitool", 1, "", stderr, Duration.ofMillis(5));
  }

  @Test
  void passesThePasswordThroughTheEnvironmentWithCipherSuite3AndNeverInArgv() {
    client(r -> ok("Chassis Power is on\n")).powerStatus();

    CommandRequest request = requests.get(0);
    assertThat(request.command())
        .containsSubsequence("-I", "lanplus")
        .containsSubsequence("-H", "10.0.0.5")
        .containsSubsequence("-C", "3")
        .contains("-E")
        .doesNotContain("-P");
    assertThat(String.join(" ", request.command())).doesNotContain(PASSWORD);
    assertThat(request.environment()).containsEntry("IPMI_PASSWORD", PASSWORD);
    assertThat(request.toString()).doesNotContain(PASSWORD);
  }

  @Test
  void passwordFileModeUsesAPrivateFileDeletedAfterTheCall() {
    var seen = new ArrayList<Path>();
    CommandRunner runner =
        request -> {
          int i = request.command().indexOf("-f");
          Path file = Path.of(request.command().get(i + 1));
          seen.add(file);
          try {
            assertThat(Files.readString(file)).isEqualTo(PASSWORD);
            assertThat(
                    java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
          } catch (java.io.IOException e) {
            throw new AssertionError(e);
          }
          assertThat(request.environment()).doesNotContainKey("IPMI_PASSWORD");
          return ok("Chassis Power is off\n");
        };
    var settings =
        IpmiSettings.of("10.0.0.5", "admin", Secret.of(PASSWORD))
            .withPasswordSource(IpmiSettings.PasswordSource.FILE);

    assertThat(IpmiClient.create(settings, runner).powerStatus()).isEqualTo(PowerState.OFF);
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0)).doesNotExist();
  }

  @Test
  void userPasswordGoesToTheShellOnStdinNotOnTheCommandLine() {
    client(
            r ->
                ok(
                    "ipmitool> user set password 3 N3w-pass 16\n"
                        + "Set User Password command successful (user 3)\nipmitool> exit\n"))
        .setUserPassword(3, Secret.of("N3w-pass"));

    CommandRequest request = requests.get(0);
    assertThat(request.command()).endsWith("shell");
    assertThat(String.join(" ", request.command())).doesNotContain("N3w-pass");
    assertThat(request.stdin()).isEqualTo("user set password 3 N3w-pass 16\nexit\n");
    assertThat(request.secrets()).contains("N3w-pass", PASSWORD);
  }

  @Test
  void aRefusedUserPasswordChangeIsARemoteFailureWithoutTheNewPassword() {
    var ipmi = client(r -> ok("ipmitool> user set password 3 N3w-pass 16\nipmitool> exit\n"));

    assertThatThrownBy(() -> ipmi.setUserPassword(3, Secret.of("N3w-pass")))
        .isInstanceOfSatisfying(
            WorkflowException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.REMOTE_FAILURE))
        .hasMessageContaining("BMC 10.0.0.5:623")
        .hasMessageNotContaining("N3w-pass");
  }

  @Test
  void rejectsBadArgumentsBeforeRunningAnything() {
    var ipmi = client(r -> ok(""));

    assertThatThrownBy(() -> ipmi.setIpAddress(1, "10.0.0.300"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("address")
        .hasMessageContaining("10.0.0.300");
    assertThatThrownBy(() -> ipmi.configureStatic(1, "10.0.0.9", "255.255.255.0", "gw"))
        .hasMessageContaining("gateway");
    assertThatThrownBy(() -> ipmi.setUserPassword(0, Secret.of("x")))
        .hasMessageContaining("userId");
    assertThatThrownBy(() -> ipmi.setUserPassword(2, Secret.of("has space")))
        .hasMessageContaining("password")
        .hasMessageNotContaining("has space");
    assertThat(requests).isEmpty();
  }

  @Test
  void configureStaticSetsSourceNetmaskAndGatewayThenTheAddressLast() {
    client(r -> ok("")).configureStatic(1, "10.1.2.3", "255.255.255.0", "10.1.2.1");

    assertThat(requests)
        .extracting(
            r ->
                String.join(
                    " ", r.command().subList(r.command().indexOf("-E") + 1, r.command().size())))
        .containsExactly(
            "lan set 1 ipsrc static",
            "lan set 1 netmask 255.255.255.0",
            "lan set 1 defgw ipaddr 10.1.2.1",
            "lan set 1 ipaddr 10.1.2.3");
  }

  @Test
  void bootDeviceOptionsAreJoined() {
    client(r -> ok("Set Boot Device to pxe\n")).setBootDevice(BootDevice.PXE, true, true);

    assertThat(requests.get(0).command()).endsWith("bootdev", "pxe", "options=persistent,efiboot");
  }

  @Test
  void lanPrintIsParsedIntoARecord() {
    String out =
        "Set in Progress         : Set Complete\n"
            + "Auth Type Enable        : Callback : NONE MD2\n"
            + "                        : User     : NONE MD2\n"
            + "IP Address Source       : DHCP Address\n"
            + "IP Address              : 10.0.0.5\n"
            + "Subnet Mask             : 255.255.255.0\n"
            + "MAC Address             : 52:54:00:12:34:56\n"
            + "Default Gateway IP      : 10.0.0.1\n"
            + "802.1q VLAN ID          : 42\n";

    LanConfig lan = client(r -> ok(out)).lanPrint(1);

    assertThat(lan.ipSource()).isEqualTo(IpSource.DHCP);
    assertThat(lan.ipAddress()).isEqualTo("10.0.0.5");
    assertThat(lan.subnetMask()).isEqualTo("255.255.255.0");
    assertThat(lan.macAddress()).isEqualTo("52:54:00:12:34:56");
    assertThat(lan.defaultGateway()).isEqualTo("10.0.0.1");
    assertThat(lan.vlanId()).isEqualTo(42);
    assertThat(lan.fields().get("Auth Type Enable")).contains("User");
  }

  @Test
  void unreadableOutputIsAProtocolError() {
    assertThatThrownBy(() -> client(r -> ok("garbage\n")).powerStatus())
        .isInstanceOfSatisfying(
            WorkflowException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PROTOCOL))
        .hasMessageContaining("10.0.0.5");
  }

  @Test
  void aWrongPasswordIsAnAuthErrorNamingTheBmc() {
    var ipmi =
        client(
            r ->
                failed(
                    "> RAKP 2 HMAC is invalid\n"
                        + "Error: Unable to establish IPMI v2 / RMCP+ session\n"));

    assertThatThrownBy(ipmi::powerOn)
        .isInstanceOfSatisfying(
            WorkflowException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.AUTH);
              assertThat(e.retryable()).isFalse();
            })
        .hasMessageContaining("BMC 10.0.0.5:623")
        .hasMessageContaining("exit 1")
        .hasMessageNotContaining(PASSWORD);
  }

  @Test
  void anUnreachableBmcIsARetryableConnectionError() {
    var ipmi =
        client(
            r ->
                failed(
                    "Get Auth Capabilities error\n"
                        + "Error: Unable to establish IPMI v2 / RMCP+ session\n"));

    assertThatThrownBy(ipmi::powerOff)
        .isInstanceOfSatisfying(
            WorkflowException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.CONNECTION);
              assertThat(e.retryable()).isTrue();
            })
        .hasMessageContaining("did not answer");
  }
}
