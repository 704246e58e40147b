package dev.opsflow.hardware.ipmi;

import java.time.Duration;

/**
 * What a command did: its exit code and its output, already scrubbed of the request's secrets.
 * Immutable.
 *
 * @param commandLine the command as run (no secret by contract)
 * @param exitCode the process's exit code
 * @param stdout standard output
 * @param stderr standard error
 * @param duration how long it ran
 */
public record CommandResult(
    String commandLine, int exitCode, String stdout, String stderr, Duration duration) {

  /** {@return whether the exit code is 0} */
  public boolean ok() {
    return exitCode == 0;
  }
}
