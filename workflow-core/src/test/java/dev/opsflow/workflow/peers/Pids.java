package dev.opsflow.workflow.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Stopping and checking the peers' processes by PID (daemons are not children of this JVM).
 *
 * <p>A killed daemon stays a zombie until init reaps it, and {@link ProcessHandle#isAlive()}
 * reports zombies as alive; some container inits reap only every second or two. {@link
 * #isRunning(long)} therefore does not count zombies, and the stop methods wait a bounded moment
 * for the reaping (no failure if it never happens).
 */
public final class Pids {

  private static final Duration REAP_WAIT = Duration.ofSeconds(3);

  private Pids() {}

  /**
   * Whether {@code pid} names a running process. A zombie (exited, not yet reaped by its parent)
   * does not count: it holds no port, no file and runs nothing.
   */
  public static boolean isRunning(long pid) {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    return handle.isPresent() && handle.get().isAlive() && !isZombie(pid);
  }

  private static boolean isZombie(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      int end = stat.lastIndexOf(')');
      return end > 0 && end + 2 < stat.length() && stat.charAt(end + 2) == 'Z';
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Stops {@code pid} and all its descendants: SIGTERM, then SIGKILL for what still runs after
   * {@code grace}. Returns once none runs; then waits briefly (bounded) for the zombies to be
   * reaped, so that {@link ProcessHandle#isAlive()} agrees too where init reaps promptly.
   *
   * @throws IllegalStateException when a process survives SIGKILL for 10 seconds
   */
  public static void terminate(long pid, Duration grace) {
    Optional<ProcessHandle> root = ProcessHandle.of(pid);
    if (root.isEmpty()) {
      return;
    }
    List<ProcessHandle> tree = new ArrayList<>();
    tree.add(root.get());
    root.get().descendants().forEach(tree::add);
    tree.forEach(ProcessHandle::destroy);
    if (!awaitGone(tree, grace)) {
      tree.stream().filter(h -> isRunning(h.pid())).forEach(ProcessHandle::destroyForcibly);
      if (!awaitGone(tree, Duration.ofSeconds(10))) {
        throw new IllegalStateException("process " + pid + " survived SIGKILL");
      }
    }
    awaitReaped(tree);
  }

  /**
   * Waits at most {@code timeout} for {@code pid} to stop running by itself (e.g. after a shutdown
   * command), then briefly for it to be reaped, like {@link #terminate}.
   *
   * @return whether it stopped in time
   */
  public static boolean awaitStopped(long pid, Duration timeout) {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty()) {
      return true;
    }
    List<ProcessHandle> tree = List.of(handle.get());
    if (!awaitGone(tree, timeout)) {
      return false;
    }
    awaitReaped(tree);
    return true;
  }

  private static void awaitReaped(List<ProcessHandle> tree) {
    long deadline = System.nanoTime() + REAP_WAIT.toNanos();
    while (tree.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
      Peers.pause();
    }
  }

  private static boolean awaitGone(List<ProcessHandle> tree, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (tree.stream().anyMatch(h -> h.isAlive() && isRunning(h.pid()))) {
      if (System.nanoTime() >= deadline) {
        return false;
      }
      Peers.pause();
    }
    return true;
  }

  /** Reads the PID in the first line of a pid file; empty when the file is absent or empty. */
  public static Optional<Long> readPid(Path pidFile) {
    try {
      List<String> lines = Files.readAllLines(pidFile);
      return lines.isEmpty() || lines.get(0).isBlank()
          ? Optional.empty()
          : Optional.of(Long.parseLong(lines.get(0).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }
}
