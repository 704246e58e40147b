package dev.opsflow.examples;

import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.RunStatus;
import dev.opsflow.workflow.StepOutcome;
import dev.opsflow.workflow.StepStatus;
import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.spi.ExecutionStore;
import dev.opsflow.workflow.spi.RunRecord;
import java.util.List;

/** A stored run as another process sees it: its status from the record and its journal. */
final class RunViews {
  private RunViews() {}

  /**
   * The run {@code runId} in {@code store}.
   *
   * @throws CliException (not found) naming the store and what to do
   */
  static RunRecord find(ExecutionStore store, String runId) {
    return store
        .find(runId)
        .orElseThrow(
            () ->
                new CliException(
                    ExitCodes.NOT_FOUND,
                    "no run '" + Inputs.shown(runId) + "' in the store " + store,
                    List.of("opsflow history (the runs in this store)", "give --store DIR"),
                    null));
  }

  /**
   * The run's status: its state and step counts from the record, the live step and sub-task from
   * the journal (the executing process commits them with its heartbeat).
   */
  static RunStatus status(RunRecord r, List<WorkflowEvent> events) {
    int done = (int) r.steps().stream().filter(s -> s.status().isDone()).count();
    int total = r.stepNames().size();
    int percent = r.state() == RunState.COMPLETED ? 100 : total == 0 ? 0 : 100 * done / total;
    String current = null;
    if (!r.state().isFinished()) {
      current =
          r.steps().stream()
              .filter(s -> s.status() == StepStatus.RUNNING)
              .map(StepOutcome::name)
              .findFirst()
              .orElse(null);
      if (current == null) {
        current = lastStarted(events);
      }
    }
    String subTask = null;
    if (current != null) {
      for (WorkflowEvent e : events) {
        if (e instanceof WorkflowEvent.StepStarted s && s.step().equals(current)) {
          subTask = null;
        } else if (e instanceof WorkflowEvent.StepProgress p
            && p.step().equals(current)
            && p.subTask() != null) {
          subTask = p.subTask();
        }
      }
    }
    return new RunStatus(
        r.runId(),
        r.workflow(),
        r.state(),
        percent,
        current,
        subTask,
        done,
        total,
        r.createdAt(),
        r.updatedAt());
  }

  /** The last step started and not ended since, by the journal. */
  private static String lastStarted(List<WorkflowEvent> events) {
    String open = null;
    for (WorkflowEvent e : events) {
      if (e instanceof WorkflowEvent.StepStarted s) {
        open = s.step();
      } else if (e instanceof WorkflowEvent.StepSucceeded
          || e instanceof WorkflowEvent.StepSkipped
          || e instanceof WorkflowEvent.StepFailed
          || e instanceof WorkflowEvent.RunFinished) {
        open = null;
      }
    }
    return open;
  }

  /** One line for a person. */
  static String human(RunStatus s, RunRecord r) {
    var sb = new StringBuilder();
    sb.append("run ").append(s.runId()).append(" of ").append(s.workflow()).append(": ");
    sb.append(s.state()).append(", ").append(s.stepsCompleted()).append('/').append(s.totalSteps());
    sb.append(" steps (").append(s.progressPercent()).append("%)");
    if (s.currentStep() != null) {
      sb.append("; now ").append(s.currentStep());
      if (s.currentSubTask() != null) {
        sb.append(": ").append(s.currentSubTask());
      }
    }
    if (!r.state().isFinished() && r.owner() != null) {
      sb.append("; held by ").append(r.owner()).append(" until ").append(r.leaseUntil());
    }
    return sb.toString();
  }
}
