package dev.opsflow.examples;

import dev.opsflow.workflow.StepOutcome;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.event.WorkflowListener;
import java.io.PrintStream;

/** Prints a run's progress for a person, one line per event that matters. Thread-safe. */
final class ConsoleProgress implements WorkflowListener {
  private final PrintStream out;

  ConsoleProgress(PrintStream out) {
    this.out = out;
  }

  @Override
  public synchronized void onEvent(WorkflowEvent event) {
    if (event instanceof WorkflowEvent.RunStarted e) {
      out.println(
          (e.dryRun() ? "Dry run of " : e.resumed() ? "Resuming " : "Running ")
              + e.workflow()
              + " ("
              + e.totalSteps()
              + " steps), run "
              + e.runId());
    } else if (event instanceof WorkflowEvent.StepStarted e && e.attempt() == 1) {
      out.println("  " + e.step() + "...");
    } else if (event instanceof WorkflowEvent.StepProgress e && e.subTask() != null) {
      out.println("    " + e.subTask() + (e.percent() > 0 ? " (" + e.percent() + "%)" : ""));
    } else if (event instanceof WorkflowEvent.StepRetrying e) {
      out.println(
          "    attempt "
              + e.attempt()
              + " failed ("
              + e.cause()
              + "); retrying in "
              + e.delayMs()
              + " ms");
    } else if (event instanceof WorkflowEvent.StepSkipped e) {
      out.println("  " + e.step() + ": skipped, " + e.reason());
    } else if (event instanceof WorkflowEvent.StepFailed e) {
      out.println("  " + e.step() + ": FAILED, " + e.message());
    } else if (event instanceof WorkflowEvent.Compensation e) {
      out.println(
          "  "
              + e.step()
              + ": "
              + (e.succeeded() ? "rolled back" : "rollback FAILED: " + e.message()));
    }
  }

  /** The end of a run, for a person. */
  synchronized void summary(WorkflowResult result) {
    out.println();
    out.println(result.message());
    if (!result.outputs().isEmpty()) {
      out.println();
      result.outputs().forEach((k, v) -> out.println("  " + k + ": " + v));
    }
    if (result.error() != null) {
      out.println();
      out.println("Error (" + result.error().type() + "): " + result.error().message());
      result.error().suggestions().forEach(s -> out.println("  - " + s));
    }
    long done = result.steps().stream().map(StepOutcome::status).filter(s -> s.isDone()).count();
    out.println();
    out.println(done + "/" + result.steps().size() + " steps done; run " + result.runId());
  }
}
