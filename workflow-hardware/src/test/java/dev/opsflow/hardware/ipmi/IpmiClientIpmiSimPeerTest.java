package dev.opsflow.hardware.ipmi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.WorkflowException;
import dev.opsflow.workflow.peers.IpmiSimPeer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** IpmiClient driving real ipmitool against OpenIPMI's ipmi_sim (skipped when missing). */
class IpmiClientIpmiSimPeerTest {
  private static IpmiSimPeer bmc;

  /** Why the peer is not here (its tests then report themselves skipped), or null. */
  private static String unavailable;

  @BeforeAll
  static void start() {
    try {
      bmc = IpmiSimPeer.start();
    } catch (org.opentest4j.TestAbortedException missing) {
      // Skip each test with the reason, rather than the whole class silently.
      unavailable = missing.getMessage();
    }
  }

  @org.junit.jupiter.api.BeforeEach
  void requirePeer() {
    org.junit.jupiter.api.Assumptions.assumeTrue(unavailable == null, unavailable);
  }

  @AfterAll
  static void stop() {
    if (bmc != null) {
      bmc.close();
    }
  }

  private static IpmiSettings settings() {
    return IpmiSettings.of(bmc.host(), bmc.username(), Secret.of(bmc.password()))
        .withPort(bmc.port())
        .withTimeout(Duration.ofSeconds(20));
  }

  @Test
  void powerOnOffAndStatusFollowTheChassis() {
    var ipmi = IpmiClient.create(settings());

    ipmi.powerOn();
    assertThat(ipmi.powerStatus()).isEqualTo(PowerState.ON);
    ipmi.powerOff();
    assertThat(ipmi.powerStatus()).isEqualTo(PowerState.OFF);
    ipmi.powerCycle();
    ipmi.powerReset();
  }

  @Test
  void passwordFileModeWorksToo() {
    var ipmi = IpmiClient.create(settings().withPasswordSource(IpmiSettings.PasswordSource.FILE));

    ipmi.setBootDevice(BootDevice.PXE, false, false);
    assertThat(ipmi.run("chassis", "bootparam", "get", "5")).contains("Force PXE");
  }

  @Test
  void lanSetThenLanPrintShowsTheStaticConfiguration() {
    var ipmi = IpmiClient.create(settings());

    ipmi.configureStatic(1, "10.20.30.40", "255.255.255.0", "10.20.30.1");
    LanConfig lan = ipmi.lanPrint(1);

    assertThat(lan.ipSource()).isEqualTo(IpSource.STATIC);
    assertThat(lan.ipAddress()).isEqualTo("10.20.30.40");
    assertThat(lan.subnetMask()).isEqualTo("255.255.255.0");
    assertThat(lan.defaultGateway()).isEqualTo("10.20.30.1");
  }

  @Test
  void userPasswordChangeTakesEffectWithoutThePasswordOnAnyCommandLine() {
    var ipmi = IpmiClient.create(settings());

    ipmi.setUserPassword(3, Secret.of("Op-New-9x"));

    var operator =
        IpmiClient.create(settings().withCredentials("operator", Secret.of("Op-New-9x")));
    assertThat(operator.powerStatus()).isIn(PowerState.ON, PowerState.OFF);
    assertThatThrownBy(
            () ->
                IpmiClient.create(settings().withCredentials("operator", Secret.of("oppass")))
                    .powerStatus())
        .isInstanceOfSatisfying(
            WorkflowException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.AUTH));
  }

  @Test
  void aWrongPasswordIsAnAuthErrorNamingTheBmcWithoutThePassword() {
    var ipmi = IpmiClient.create(settings().withCredentials("admin", Secret.of("Wr0ng-pw")));

    assertThatThrownBy(ipmi::powerStatus)
        .isInstanceOfSatisfying(
            WorkflowException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.AUTH))
        .hasMessageContaining("BMC 127.0.0.1:" + bmc.port())
        .hasMessageNotContaining("Wr0ng-pw");
  }

  @Test
  void aBmcThatDoesNotAnswerIsAConnectionErrorNotAHang() throws Exception {
    int silentPort;
    try (var socket = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
      silentPort = socket.getLocalPort();
    }
    var ipmi = IpmiClient.create(settings().withPort(silentPort).withRetransmission(1, 1));

    long started = System.nanoTime();
    assertThatThrownBy(ipmi::powerStatus)
        .isInstanceOfSatisfying(
            WorkflowException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.CONNECTION);
              assertThat(e.retryable()).isTrue();
            })
        .hasMessageContaining("127.0.0.1:" + silentPort)
        .hasMessageContaining("did not answer");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
  }

  @Test
  void noProcessCommandLineShowsAPasswordWhileIpmitoolRuns() throws Exception {
    String newPassword = "Ps-Check-7";
    var snapshots = new ArrayList<List<String>>();
    var failure = new AtomicReference<Throwable>();
    CommandRunner local = CommandRunner.local();
    // A BMC port that never answers keeps ipmitool alive for about two seconds (-N 1 -R 1); the
    // watcher waits until ipmitool is one of this JVM's children, then snapshots every process's
    // command line, so the snapshot sees ipmitool itself.
    CommandRunner watching =
        request -> {
          var thread =
              new Thread(
                  () -> {
                    try {
                      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                      while (ProcessHandle.current()
                          .children()
                          .noneMatch(
                              p ->
                                  p.info()
                                      .command()
                                      .map(c -> c.endsWith("ipmitool"))
                                      .orElse(false))) {
                        if (System.nanoTime() > deadline) {
                          throw new AssertionError("ipmitool never started");
                        }
                        Thread.onSpinWait();
                      }
                      snapshots.add(allCommandLines());
                    } catch (Throwable t) {
                      failure.set(t);
                    }
                  });
          thread.start();
          try {
            return local.run(request);
          } finally {
            try {
              thread.join();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };
    try (var silent = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
      var ipmi =
          IpmiClient.create(
              settings().withPort(silent.getLocalPort()).withRetransmission(1, 1), watching);

      assertThatThrownBy(ipmi::powerStatus).isInstanceOf(WorkflowException.class);
      assertThatThrownBy(() -> ipmi.setUserPassword(4, Secret.of(newPassword)))
          .isInstanceOf(WorkflowException.class)
          .hasMessageNotContaining(newPassword);
    }

    assertThat(failure.get()).isNull();
    assertThat(snapshots)
        .hasSize(2)
        .allSatisfy(
            snapshot -> {
              assertThat(snapshot)
                  .anyMatch(line -> line.startsWith("ipmitool ") && line.contains(" -E"));
              assertThat(snapshot)
                  .noneMatch(line -> line.contains(bmc.password()) || line.contains(newPassword));
            });
    assertThat(snapshots.get(1))
        .anyMatch(line -> line.startsWith("ipmitool ") && line.strip().endsWith(" shell"));
  }

  /** What {@code ps -eo args} shows: every process's command line from /proc. */
  private static List<String> allCommandLines() throws Exception {
    var lines = new ArrayList<String>();
    try (var procs = Files.list(Path.of("/proc"))) {
      for (Path proc : (Iterable<Path>) procs::iterator) {
        if (proc.getFileName().toString().matches("\\d+")) {
          try {
            lines.add(
                new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' '));
          } catch (java.io.IOException gone) {
            // The process ended meanwhile.
          }
        }
      }
    }
    var ps = new ProcessBuilder("ps", "-eo", "args").redirectErrorStream(true).start();
    lines.addAll(
        new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList());
    ps.waitFor();
    return lines;
  }
}
