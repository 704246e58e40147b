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
 * A real OpenSSH server (the machine) whose test user finds fake {@code racadm} and {@code ilorest}
 * first on its PATH: shell scripts (test resources) that answer in the tools' formats and keep
 * their state in a temp dir of this test ({@code OPSFLOW_FAKE_STATE}): a BIOS set then read back
 * shows the pending value, a racadm job completes at the next power cycle.
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
    try {
      Path tools = Files.createTempDirectory("opsflow-vendor-tools-");
      Path state = Files.createTempDirectory("opsflow-vendor-state-");
      for (String tool : List.of("racadm", "ilorest")) {
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
        sshd =
            SshdPeer.start(
                Map.of(
                    "PATH",
                    tools + ":/usr/local/bin:/usr/bin:/bin",
                    "OPSFLOW_FAKE_STATE",
                    state.toString()),
                extraHosts);
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
    openUp();
  }

  /** An HPE server's ilorest state: these attributes (Name=Value lines), powered on. */
  void ilorest(List<String> attributes) {
    reset(HOST);
    write(HOST + "/ilorest/current", attributes);
    write(HOST + "/ilorest/power", List.of("On"));
    openUp();
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
