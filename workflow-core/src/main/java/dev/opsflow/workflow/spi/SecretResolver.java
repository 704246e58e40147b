package dev.opsflow.workflow.spi;

import dev.opsflow.workflow.Secret;
import java.util.Optional;

/**
 * Gives a resumed run its secret inputs again: stores never hold secrets, so the host application
 * supplies them (from a vault, the environment, a prompt). Must be thread-safe.
 */
@FunctionalInterface
public interface SecretResolver {

  /**
   * The secret for input {@code inputName} of the run {@code runId} of {@code workflow}, or empty
   * when the host has none (the resume then fails with a validation error naming the input).
   *
   * @param workflow the workflow's name
   * @param runId the run being resumed
   * @param inputName the secret input's name
   * @return the secret, or empty when the host has none
   */
  Optional<Secret> resolve(String workflow, String runId, String inputName);

  /** {@return a resolver that knows no secret} */
  static SecretResolver none() {
    return (workflow, runId, inputName) -> Optional.empty();
  }
}
