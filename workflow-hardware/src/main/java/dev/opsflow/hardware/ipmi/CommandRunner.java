package dev.opsflow.hardware.ipmi;

/**
 * Runs an external command and captures its result. {@link IpmiClient} drives {@code ipmitool}
 * through one, so tests can replace the process with a script and production code can add auditing
 * or run the command on another machine.
 *
 * <p>Implementations must honour {@link CommandRequest#timeout()} (never hang), must put {@link
 * CommandRequest#environment()} and {@link CommandRequest#stdin()} where they belong and nowhere
 * else, and must be thread-safe.
 */
@FunctionalInterface
public interface CommandRunner {

  /**
   * Runs a command to its end.
   *
   * @param request the command line, its environment and its time limit
   * @return the exit code and output, whatever the exit code
   * @throws dev.opsflow.workflow.WorkflowException of kind TIMEOUT when the command outlives its
   *     timeout (it is then killed), of kind CONFIGURATION when it cannot be started (binary
   *     missing), of kind CANCELLED when the calling thread is interrupted
   */
  CommandResult run(CommandRequest request);

  /** {@return the runner that starts a local process with {@link ProcessBuilder}} */
  static CommandRunner local() {
    return new ProcessCommandRunner();
  }
}
