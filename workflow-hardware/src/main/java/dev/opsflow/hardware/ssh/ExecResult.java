package dev.opsflow.hardware.ssh;

/**
 * What a remote command did. Immutable.
 *
 * @param command the command as sent
 * @param exitCode its exit status
 * @param stdout standard output (UTF-8)
 * @param stderr standard error (UTF-8)
 */
public record ExecResult(String command, int exitCode, String stdout, String stderr) {

  /** {@return whether the exit status is 0} */
  public boolean ok() {
    return exitCode == 0;
  }
}
