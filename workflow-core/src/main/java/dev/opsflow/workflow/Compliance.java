package dev.opsflow.workflow;

/**
 * Marks a workflow compliance-sensitive: it touches finance, identity, policy or another area whose
 * changes must be accounted for. The engine records the marking in every run of the workflow (the
 * run's attributes {@value #CATEGORY_ATTRIBUTE} and {@value #AUDIT_ATTRIBUTE}, kept in the store
 * and shown by {@link WorkflowEngine#history}), and when an audit is required it refuses to run the
 * workflow on a store that does not keep the event journal beyond the JVM ({@link
 * dev.opsflow.workflow.spi.ExecutionStore#durable()}): the in-memory store's journal is gone when
 * the host exits, so it is no audit trail.
 *
 * <pre>{@code
 * Workflow.builder("rotate-credentials").compliance(Compliance.audited("identity"))...
 * }</pre>
 *
 * @param category what kind of sensitive change: a lower-case word such as {@code finance}, {@code
 *     identity}, {@code policy}
 * @param auditRequired whether every run must leave a durable event journal
 */
public record Compliance(String category, boolean auditRequired) {

  /** The run attribute that holds the category. */
  public static final String CATEGORY_ATTRIBUTE = "opsflow.compliance.category";

  /** The run attribute that holds whether an audit is required ({@code true} or {@code false}). */
  public static final String AUDIT_ATTRIBUTE = "opsflow.compliance.auditRequired";

  /**
   * Checks the category.
   *
   * @param category what kind of sensitive change: a lower-case word such as {@code finance},
   *     {@code identity}, {@code policy}
   * @param auditRequired whether every run must leave a durable event journal
   * @throws IllegalArgumentException if the category is not a lower-case word (letters, digits,
   *     {@code -}, {@code _}, starting with a letter)
   */
  public Compliance {
    if (category == null || !category.matches("[a-z][a-z0-9_-]{0,63}")) {
      throw new IllegalArgumentException(
          "compliance category '"
              + category
              + "' must be a lower-case word of up to 64 letters, digits, - or _ (such as finance,"
              + " identity, policy)");
    }
  }

  /**
   * A marking of {@code category} whose runs must leave a durable audit trail.
   *
   * @param category what kind of sensitive change: a lower-case word such as {@code finance},
   *     {@code identity}, {@code policy}
   * @return the marking, with {@code auditRequired} true
   */
  public static Compliance audited(String category) {
    return new Compliance(category, true);
  }
}
