package dev.opsflow.examples;

import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.testing.SimulatorStateFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.node.ObjectNode;

/**
 * The simulated world the embedded simulators of one store share across {@code opsflow} processes:
 * a directory beside the store ({@code STORE/simulators}) where each simulator keeps its state (its
 * {@code --state}), and {@code world.json} with what a new process needs to meet the same world:
 * each simulator's port, the simulated cluster's admin password and the simulated machines with
 * their BMCs' ports. A run resumed in a new process then finds its endpoints where it left them.
 *
 * <p>One process at a time owns the world (an exclusive lock on {@code lock}, which the OS drops
 * when the process dies, kill -9 included): another process on the same store while it runs gets
 * none and uses simulators of its own that keep nothing. The directory is private to the user
 * (0700): the simulators' state holds their passwords, as a real cluster's storage does.
 */
final class SimulatorWorld implements AutoCloseable {
  private final Path dir;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final SimulatorStateFile file;
  private final ObjectNode layout;

  private SimulatorWorld(Path dir, FileChannel lockChannel, FileLock lock) {
    this.dir = dir;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.file = SimulatorStateFile.in(dir, "world");
    this.layout =
        file.read()
            .filter(n -> n.isObject())
            .map(n -> (ObjectNode) n)
            .orElseGet(() -> Json.mapper().createObjectNode());
  }

  /**
   * The world in {@code dir}, created if absent, or empty when another live process owns it now.
   *
   * @throws CliException (configuration) when the directory cannot be used
   */
  static Optional<SimulatorWorld> claim(Path dir) {
    FileChannel channel = null;
    try {
      Files.createDirectories(dir);
      try {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      } catch (UnsupportedOperationException e) {
        // Not a POSIX file system: its own permissions apply.
      }
      channel =
          FileChannel.open(
              dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        channel.close();
        return Optional.empty();
      }
      return Optional.of(new SimulatorWorld(dir, channel, lock));
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw new CliException(
          ExitCodes.CONFIGURATION,
          "the embedded simulators' directory " + dir + " cannot be used: " + e.getMessage(),
          "give --store DIR, or --store memory");
    }
  }

  /** Where the simulator {@code name} keeps its state. */
  Path stateDirectory(String name) {
    return dir.resolve(name);
  }

  /** The port simulator {@code name} had, or 0 (any free port) the first time. */
  synchronized int port(String name) {
    return layout.path("ports").path(name).asInt(0);
  }

  /** Records the port simulator {@code name} listens on. */
  synchronized void port(String name, int port) {
    ObjectNode ports =
        layout.has("ports") ? (ObjectNode) layout.get("ports") : layout.putObject("ports");
    ports.put(name, port);
    file.write(layout);
  }

  /** The port of {@code url}. */
  static int portOf(String url) {
    return URI.create(url).getPort();
  }

  /** The simulated Redis Enterprise admin's password: made once, then the same in every process. */
  synchronized String enterprisePassword() {
    String saved = layout.path("enterprisePassword").asString(null);
    if (saved != null) {
      return saved;
    }
    String made = UUID.randomUUID().toString();
    layout.put("enterprisePassword", made);
    file.write(layout);
    return made;
  }

  /**
   * A simulated machine as the world records it.
   *
   * @param systemId its MAAS system id
   * @param hostname its MAAS hostname
   * @param bmcPort its BMC's HTTPS port
   */
  record MachineRecord(String systemId, String hostname, int bmcPort) {}

  /** The machines recorded so far, in the order they were added. */
  synchronized List<MachineRecord> machines() {
    var all = new ArrayList<MachineRecord>();
    layout
        .path("machines")
        .forEach(
            m ->
                all.add(
                    new MachineRecord(
                        m.path("systemId").asString(),
                        m.path("hostname").asString(),
                        m.path("bmcPort").asInt())));
    return all;
  }

  /** Records a new machine. */
  synchronized void addMachine(MachineRecord machine) {
    var list = layout.has("machines") ? layout.withArray("machines") : layout.putArray("machines");
    list.addObject()
        .put("systemId", machine.systemId())
        .put("hostname", machine.hostname())
        .put("bmcPort", machine.bmcPort());
    file.write(layout);
  }

  /** The directory, for messages. */
  Path directory() {
    return dir;
  }

  /** Gives the world up for another process. */
  @Override
  public void close() {
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot release " + dir.resolve("lock"), e);
    }
  }
}
