package dev.opsflow.workflow.peers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway OpenIPMI {@code ipmi_sim} BMC on a free 127.0.0.1 UDP port (IPMI v2 / RMCP+ over
 * LAN), configured from the templates in {@code src/test/resources/peers/ipmi}: user {@value
 * #USERNAME} (admin privilege), stateful stub scripts for chassis power/boot device and LAN
 * parameters (their state under {@code dir()/state/chassis} and {@code dir()/state/lan}).
 *
 * <p>ipmi_sim offers no cipher suite 17: clients must use cipher suite 3 ({@code ipmitool -C 3}).
 * {@link #close()} stops the child process (destroy, then destroyForcibly) and deletes the dir.
 */
public final class IpmiSimPeer implements AutoCloseable {

  /** The address the BMC listens on. */
  public static final String HOST = "127.0.0.1";

  /** The administrator user configured in {@code lan.conf.template}. */
  public static final String USERNAME = "admin";

  /** That user's password (a fixed simulator credential, from {@code lan.conf.template}). */
  public static final String PASSWORD = "password";

  private static final String RESOURCES = "/peers/ipmi/";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final int ATTEMPTS = 3;

  private final Path dir;
  private final Path ipmitool;
  private Process process;
  private int port;

  private IpmiSimPeer(Path dir, Path ipmitool) {
    this.dir = dir;
    this.ipmitool = ipmitool;
  }

  /** Starts the BMC; skips or fails (see {@link Peers}) when ipmi_sim or ipmitool is missing. */
  public static IpmiSimPeer start() {
    Path sim = Peers.require("ipmi_sim", "openipmi");
    Path tool = Peers.require("ipmitool", "ipmitool");
    IpmiSimPeer peer;
    try {
      peer = new IpmiSimPeer(Files.createTempDirectory("opsflow-ipmi-"), tool);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      peer.launch(sim);
      return peer;
    } catch (RuntimeException | Error e) {
      peer.close();
      throw e;
    }
  }

  private void launch(Path sim) {
    String template;
    try {
      copy("bmc.emu", false);
      copy("chassiscontrol.sh", true);
      copy("lancontrol.sh", true);
      template = resource("lan.conf.template");
      Files.createDirectories(dir.resolve("state"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (int attempt = 1; ; attempt++) {
      port = FreePorts.loopbackUdp();
      try {
        Files.writeString(
            dir.resolve("lan.conf"),
            template.replace("@PORT@", Integer.toString(port)).replace("@DIR@", dir.toString()));
        process =
            new ProcessBuilder(
                    sim.toString(),
                    "-c",
                    dir.resolve("lan.conf").toString(),
                    "-f",
                    dir.resolve("bmc.emu").toString(),
                    "-s",
                    dir.resolve("state").toString(),
                    "-n")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(logFile().toFile())
                .start();
        process.getOutputStream().close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      try {
        Peers.await(
            "ipmi_sim on " + HOST + ":" + port + "/udp",
            TIMEOUT,
            this::ready,
            () -> Peers.tail(logFile(), 4000));
        return;
      } catch (PortTaken e) {
        stopProcess();
        if (attempt == ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private void copy(String name, boolean executable) throws IOException {
    Path target = dir.resolve(name);
    Files.writeString(target, resource(name));
    Files.setPosixFilePermissions(
        target, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = IpmiSimPeer.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new IOException("missing test resource " + RESOURCES + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private boolean ready() throws IOException {
    if (!process.isAlive()) {
      String log = Peers.tail(logFile(), 4000);
      if (log.contains("in use")) {
        throw new PortTaken(log);
      }
      throw new IllegalStateException("ipmi_sim exited with " + process.exitValue() + "\n" + log);
    }
    PeerCommand.Result status =
        ipmitool(List.of("-N", "1", "-R", "1"), "chassis", "power", "status");
    if (!status.ok() || !status.stdout().contains("Chassis Power is")) {
      return false;
    }
    if (udpSocketsOn(port) > 1) {
      // ipmi_sim binds with SO_REUSEADDR, so a second BMC on the same port does not fail.
      throw new PortTaken("another UDP socket shares port " + port);
    }
    return true;
  }

  /** How many UDP sockets are bound to {@code port} (Linux /proc/net; 0 elsewhere). */
  private static long udpSocketsOn(int port) throws IOException {
    String suffix = String.format(":%04X", port);
    long count = 0;
    for (String table : List.of("/proc/net/udp", "/proc/net/udp6")) {
      Path path = Path.of(table);
      if (Files.isReadable(path)) {
        count +=
            Files.readAllLines(path).stream()
                .skip(1)
                .map(line -> line.trim().split("\\s+"))
                .filter(fields -> fields.length > 1 && fields[1].endsWith(suffix))
                .count();
      }
    }
    return count;
  }

  /**
   * Runs {@code ipmitool -I lanplus -H 127.0.0.1 -p PORT -U admin -E -C 3 ARGS...} with the
   * password in {@code IPMI_PASSWORD} (never {@code -P}), waiting at most 30 s.
   */
  public PeerCommand.Result ipmitool(String... args) {
    return ipmitool(List.of(), args);
  }

  private PeerCommand.Result ipmitool(List<String> options, String... args) {
    List<String> command = new ArrayList<>(List.of(ipmitool.toString(), "-I", "lanplus"));
    command.addAll(List.of("-H", HOST, "-p", Integer.toString(port), "-U", USERNAME));
    command.addAll(List.of("-E", "-C", "3"));
    command.addAll(options);
    command.addAll(List.of(args));
    return PeerCommand.run(command, Map.of("IPMI_PASSWORD", PASSWORD), dir, null, TIMEOUT);
  }

  /** Always {@value #HOST}. */
  public String host() {
    return HOST;
  }

  /** The UDP port of the BMC's LAN interface. */
  public int port() {
    return port;
  }

  /** Always {@value #USERNAME}. */
  public String username() {
    return USERNAME;
  }

  /** Always {@value #PASSWORD}. */
  public String password() {
    return PASSWORD;
  }

  /** PID of the ipmi_sim process. */
  public long pid() {
    return process.pid();
  }

  /** Its temp dir (config, stub scripts, state). */
  public Path dir() {
    return dir;
  }

  /** ipmi_sim's output. */
  public Path logFile() {
    return dir.resolve("ipmi_sim.log");
  }

  /** Stops ipmi_sim (destroy, then destroyForcibly) and deletes the dir. */
  @Override
  public void close() {
    try {
      stopProcess();
    } finally {
      Peers.deleteRecursively(dir);
    }
  }

  private void stopProcess() {
    if (process == null) {
      return;
    }
    List<ProcessHandle> children = process.descendants().toList();
    try {
      process.destroy();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException("ipmi_sim (pid " + process.pid() + ") survived SIGKILL");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping ipmi_sim", e);
    }
    children.forEach(ProcessHandle::destroyForcibly);
  }
}
