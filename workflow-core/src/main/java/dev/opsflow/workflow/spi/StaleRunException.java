package dev.opsflow.workflow.spi;

/**
 * A commit found the run changed by someone else (its version moved): this engine no longer owns
 * the run and must stop working on it.
 */
public class StaleRunException extends StoreException {
  private static final long serialVersionUID = 1L;

  /**
   * A stale commit of {@code runId}.
   *
   * @param runId the run whose commit was refused
   * @param expected the version the commit was based on
   * @param actual the version stored
   */
  public StaleRunException(String runId, long expected, long actual) {
    super(
        "run "
            + runId
            + " was changed by another engine (expected version "
            + expected
            + ", found "
            + actual
            + ")",
        null);
  }
}
