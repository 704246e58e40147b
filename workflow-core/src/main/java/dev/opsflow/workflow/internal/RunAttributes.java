package dev.opsflow.workflow.internal;

import dev.opsflow.workflow.Compliance;
import dev.opsflow.workflow.ValidationException;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.event.RunAttributeSource;
import dev.opsflow.workflow.event.WorkflowListener;
import dev.opsflow.workflow.spi.ExecutionStore;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's attributes: the compliance marking it is created with, and what the engine's {@link
 * RunAttributeSource}s add as it starts or resumes.
 */
final class RunAttributes {
  private static final Logger LOG = LoggerFactory.getLogger("dev.opsflow.workflow.engine");

  private RunAttributes() {}

  /**
   * Refuses a workflow whose compliance marking requires an audit on a store whose journal does not
   * outlive the JVM; nothing is stored or run.
   */
  static void requireAuditTrail(Workflow workflow, ExecutionStore store) {
    var marking = workflow.compliance();
    if (marking.isPresent() && marking.get().auditRequired() && !store.durable()) {
      throw new ValidationException(
          "workflow '"
              + workflow.name()
              + "' is compliance-sensitive ("
              + marking.get().category()
              + ", audit required) and needs a store that keeps its event journal: "
              + store.getClass().getSimpleName()
              + " loses it when the JVM exits; build the engine with a FileExecutionStore or a"
              + " JdbcExecutionStore");
    }
  }

  /** The attributes a new run of {@code workflow} is created with. */
  static Map<String, String> initial(Workflow workflow) {
    return workflow
        .compliance()
        .map(
            c ->
                Map.of(
                    Compliance.CATEGORY_ATTRIBUTE,
                    c.category(),
                    Compliance.AUDIT_ATTRIBUTE,
                    Boolean.toString(c.auditRequired())))
        .orElse(Map.of());
  }

  /**
   * Asks the engine's attribute sources for the run's attributes, right before its {@code
   * RunStarted} event at {@code at}.
   */
  static void gather(RunScope scope, boolean resumed, Instant at) {
    for (WorkflowListener l : scope.services.listeners()) {
      if (l instanceof RunAttributeSource source) {
        try {
          Map<String, String> added =
              source.attributes(
                  new RunAttributeSource.RunStart(
                      scope.runId,
                      scope.workflow.name(),
                      resumed,
                      at,
                      scope.attributes(),
                      scope.caller.of(source)));
          if (added != null && !added.isEmpty()) {
            scope.putAttributes(added);
          }
        } catch (RuntimeException | LinkageError e) {
          LOG.warn(
              "attribute source {} threw for run {}; the run goes on without its attributes",
              l.getClass().getName(),
              scope.runId,
              e);
        }
      }
    }
  }
}
