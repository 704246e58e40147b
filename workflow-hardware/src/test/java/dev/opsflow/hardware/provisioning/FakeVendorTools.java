package dev.opsflow.hardware.provisioning;

import dev.opsflow.workflow.peers.SshdPeer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real OpenSSH server (the machine) whose test user finds fake {@code racadm}, {@code ilorest}
 * and {@code sum} first on its PATH: shell scripts (test resources) that answer in the tools'
 * formats and keep their state in a temp dir of this test ({@code OPSFLOW_FAKE_STATE}): a BIOS set
 * then read back shows the pending value, a racadm job completes at the next power cycle, an
 * ilorest commit at the next reboot, a sum change when the machine's BMC (an {@code ipmi_sim} peer
 * whose chassis log is {@code OPSFLOW_FAKE_CHASSIS_LOG}) resets or powers it on.
 */
final class FakeVendorTools implements AutoCloseable {
  final Path tools;
  final Path state;
  final SshdPeer sshd;

  private FakeVendorTools(Path tools, Path state, SshdPeer sshd) {
    this.tools = tools;
    this.state = state;
    this.sshd = sshd;
  }

  /** The machine the single-server tests use. */
  static final String HOST = "127.0.0.1";

  /** Starts sshd (skipped, or failed under OPSFLOW_REQUIRE_PEERS=1, when OpenSSH is missing). */
  static FakeVendorTools start() {
    return start(List.of());
  }

  /** Starts sshd listening on {@code extraHosts} too: one machine, one fake state, per address. */
  static FakeVendorTools start(List<String> extraHosts) {
    return start(extraHosts, null);
  }

  /**
   * Starts sshd as {@link #start(List)}; the fake sum counts the machine's boots in {@code
   * chassisLog} (an ipmi_sim peer's chassis calls), made readable to the test user here.
   */
  static FakeVendorTools start(List<String> extraHosts, Path chassisLog) {
    return start(extraHosts, chassisLog, List.of("racadm", "ilorest", "sum"));
  }

  /** Starts sshd with only {@code installed} of the fake tools on the test user's PATH. */
  static FakeVendorTools only(List<String> installed) {
    return start(List.of(), null, installed);
  }

  private static FakeVendorTools start(
      List<String> extraHosts, Path chassisLog, List<String> installed) {
    try {
      Path tools = Files.createTempDirectory("opsflow-vendor-tools-");
      Path state = Files.createTempDirectory("opsflow-vendor-state-");
      for (String tool : installed) {
        try (InputStream in =
            FakeVendorTools.class.getResourceAsStream(
                "/dev/opsflow/hardware/vendor/fake/" + tool)) {
          Files.copy(in, tools.resolve(tool));
        }
        Files.setPosixFilePermissions(
            tools.resolve(tool), PosixFilePermissions.fromString("rwxr-xr-x"));
      }
      Files.setPosixFilePermissions(tools, PosixFilePermissions.fromString("rwxr-xr-x"));
      SshdPeer sshd;
      try {
        var env = new java.util.LinkedHashMap<String, String>();
        env.put("PATH", tools + ":/usr/local/bin:/usr/bin:/bin");
        env.put("OPSFLOW_FAKE_STATE", state.toString());
        if (chassisLog != null) {
          openToOthers(chassisLog);
          env.put("OPSFLOW_FAKE_CHASSIS_LOG", chassisLog.toString());
        }
        sshd = SshdPeer.start(env, extraHosts);
      } catch (RuntimeException | Error e) {
        delete(tools);
        delete(state);
        throw e;
      }
      return new FakeVendorTools(tools, state, sshd);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A Dell server's racadm state: these groups (Name=Value lines), powered on, no job. */
  void racadm(Map<String, List<String>> groups) {
    racadm(HOST, groups);
  }

  /** The racadm state of the machine at {@code host}. */
  void racadm(String host, Map<String, List<String>> groups) {
    reset(host);
    groups.forEach((group, lines) -> write(host + "/racadm/current/" + group, lines));
    write(host + "/racadm/power", List.of("ON"));
    write(
        host + "/racadm/firmware",
        List.of("Bios=2.4.3", "iDRAC=2.40.40.40", "Lifecycle Controller=2.40.40.40"));
    openUp();
  }

  /** An HPE server's ilorest state: these attributes (Name=Value lines), powered on. */
  void ilorest(List<String> attributes) {
    reset(HOST);
    write(HOST + "/ilorest/current", attributes);
    write(HOST + "/ilorest/power", List.of("On"));
    openUp();
  }

  /**
   * A Supermicro server's sum state: {@code menu|name|type|value|options} lines ({@code
   * Advanced|Hyper-Threading [ALL]|Option|Enable|Disable,Enable}), nothing pending.
   */
  void sum(String host, List<String> settings) {
    reset(host);
    write(host + "/sum/current", settings);
    openUp();
  }

  /**
   * The test user reads {@code file} (another peer's, in this test's temp dirs): its directories
   * get search permission for others, the file read permission.
   */
  private static void openToOthers(Path file) throws IOException {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toRealPath();
    for (Path p = file.toAbsolutePath().getParent();
        p != null && p.startsWith(tmp) && !p.equals(tmp);
        p = p.getParent()) {
      var perms = Files.getPosixFilePermissions(p);
      perms.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
      Files.setPosixFilePermissions(p, perms);
    }
    if (Files.exists(file)) {
      var perms = Files.getPosixFilePermissions(file);
      perms.add(java.nio.file.attribute.PosixFilePermission.OTHERS_READ);
      Files.setPosixFilePermissions(file, perms);
    }
  }

  /** The lines of a state file ({@code racadm/current/ProcSettings}) of {@link #HOST}. */
  List<String> read(String file) {
    return read(HOST, file);
  }

  /** The lines of a state file of the machine at {@code host}. */
  List<String> read(String host, String file) {
    try {
      return Files.readAllLines(file(host, file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A state file of the machine at {@code host}. */
  Path file(String host, String file) {
    return state.resolve(host).resolve(file);
  }

  private void reset(String host) {
    if (Files.exists(state.resolve(host))) {
      delete(state.resolve(host));
    }
  }

  private void write(String file, List<String> lines) {
    try {
      Path p = state.resolve(file);
      Files.createDirectories(p.getParent());
      Files.write(p, lines);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The test user (not this JVM's) writes the state: every file and dir open to it. */
  private void openUp() {
    try (Stream<Path> all = Files.walk(state)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Files.setPosixFilePermissions(
            p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxrwxrwx" : "rw-rw-rw-"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The inputs that let a run reach the machine over SSH with the peer's key, host key pinned. */
  void sshInputs(Map<String, Object> in) {
    in.put("sshUser", sshd.username());
    in.put("sshKeyFile", sshd.clientKey());
    in.put("sshHostKey", sshd.hostPublicKey());
    in.put("sshPort", sshd.port());
  }

  private static void delete(Path path) {
    try (Stream<Path> all = Files.walk(path)) {
      var paths = new ArrayList<Path>();
      all.sorted(Comparator.reverseOrder()).forEach(paths::add);
      for (Path p : paths) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      sshd.close();
    } finally {
      delete(tools);
      delete(state);
    }
  }
}
