package dev.opsflow.hardware.ipmi;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One command for a {@link CommandRunner}.
 *
 * <p>Secrets never go into {@link #command()}: a command line is visible to every user of the
 * machine ({@code ps}, {@code /proc/PID/cmdline}). They go into {@link #environment()} or {@link
 * #stdin()}, and {@link #secrets()} lists them so that output and messages can be scrubbed. {@link
 * #toString()} shows neither the environment's values nor stdin. Immutable.
 *
 * @param command the program and its arguments; no secret
 * @param environment variables added to the process's environment; may hold secrets
 * @param stdin text written to the process's standard input, or null for none; may hold secrets
 * @param timeout how long the command may run before it is killed
 * @param target what the command talks to ({@code "BMC 10.0.0.5:623"}), for messages
 * @param secrets values to remove from captured output and messages
 */
public record CommandRequest(
    List<String> command,
    Map<String, String> environment,
    String stdin,
    Duration timeout,
    String target,
    List<String> secrets) {

  /**
   * Checks the parts and copies the collections.
   *
   * @param command the program and its arguments; no secret
   * @param environment variables added to the process's environment; may hold secrets
   * @param stdin text written to the process's standard input, or null for none; may hold secrets
   * @param timeout how long the command may run before it is killed
   * @param target what the command talks to ({@code "BMC 10.0.0.5:623"}), for messages
   * @param secrets values to remove from captured output and messages
   */
  public CommandRequest {
    if (command == null || command.isEmpty()) {
      throw new IllegalArgumentException("command must not be empty");
    }
    if (timeout == null || timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must be > 0, was " + timeout);
    }
    command = List.copyOf(command);
    environment = environment == null ? Map.of() : Map.copyOf(environment);
    secrets = secrets == null ? List.of() : List.copyOf(secrets);
    target = target == null ? command.get(0) : target;
  }

  /** {@return the command line as text, for messages (it holds no secret by contract)} */
  public String commandLine() {
    return String.join(" ", command);
  }

  /**
   * Removes every secret of this request from {@code text}.
   *
   * @param text any text, such as the command's output
   * @return the text with each secret replaced by {@code ****}
   */
  public String scrub(String text) {
    if (text == null) {
      return "";
    }
    String result = text;
    for (String secret : secrets) {
      if (secret != null && !secret.isEmpty()) {
        result = result.replace(secret, dev.opsflow.workflow.Secret.MASK);
      }
    }
    return result;
  }

  @Override
  public String toString() {
    return "CommandRequest["
        + commandLine()
        + ", environment="
        + environment.keySet()
        + ", stdin="
        + (stdin == null ? "none" : "****")
        + ", timeout="
        + timeout
        + "]";
  }
}
