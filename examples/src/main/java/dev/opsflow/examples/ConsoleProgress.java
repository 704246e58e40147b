package dev.opsflow.examples;

import dev.opsflow.workflow.StepOutcome;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.event.WorkflowListener;
import java.io.PrintStream;

/**
 * Prints a run's progress for a person. On a terminal ({@code live}), a progress bar with the
 * current step and sub-task, redrawn in place, with what matters (skips, retries, failures,
 * rollbacks) printed above it; elsewhere (a pipe, a CI log), one plain line per event that matters.
 * Thread-safe.
 */
final class ConsoleProgress implements WorkflowListener {
  private static final int WIDTH = 24;

  /** Back to the start of the line and clear it (ANSI CSI 2K). */
  private static final String CLEAR_LINE = "\r\u001b[2K";

  private final PrintStream out;
  private final boolean live;
  private int total;
  private int done;
  private String step = "";
  private String subTask = "";
  private int percent;
  private boolean barShown;

  ConsoleProgress(PrintStream out) {
    this(out, false);
  }

  ConsoleProgress(PrintStream out, boolean live) {
    this.out = out;
    this.live = live;
  }

  @Override
  public synchronized void onEvent(WorkflowEvent event) {
    if (event instanceof WorkflowEvent.RunStarted e) {
      total = e.totalSteps();
      line(
          (e.dryRun() ? "Dry run of " : e.resumed() ? "Resuming " : "Running ")
              + e.workflow()
              + " ("
              + e.totalSteps()
              + " steps), run "
              + e.runId());
    } else if (event instanceof WorkflowEvent.StepStarted e && e.attempt() == 1) {
      step = e.step();
      subTask = "";
      percent = 0;
      if (!live) {
        line("  " + e.step() + "...");
      }
    } else if (event instanceof WorkflowEvent.StepProgress e && e.subTask() != null) {
      subTask = e.subTask();
      percent = e.percent();
      if (!live) {
        line("    " + e.subTask() + (e.percent() > 0 ? " (" + e.percent() + "%)" : ""));
      }
    } else if (event instanceof WorkflowEvent.StepSucceeded) {
      done = Math.min(total, done + 1);
    } else if (event instanceof WorkflowEvent.StepRetrying e) {
      line(
          "    attempt "
              + e.attempt()
              + " failed ("
              + e.cause()
              + "); retrying in "
              + e.delayMs()
              + " ms");
    } else if (event instanceof WorkflowEvent.StepSkipped e) {
      done = Math.min(total, done + 1);
      line("  " + e.step() + ": skipped, " + e.reason());
    } else if (event instanceof WorkflowEvent.StepFailed e) {
      line("  " + e.step() + ": FAILED, " + e.message());
    } else if (event instanceof WorkflowEvent.CircuitStateChanged e) {
      line("    circuit breaker of " + e.endpoint() + " is " + e.state());
    } else if (event instanceof WorkflowEvent.AttemptAbandoned e) {
      line("    attempt " + e.attempt() + " abandoned after its " + e.reason());
    } else if (event instanceof WorkflowEvent.Compensation e) {
      line(
          "  "
              + e.step()
              + ": "
              + (e.succeeded() ? "rolled back" : "rollback FAILED: " + e.message()));
    }
    if (live) {
      drawBar();
    }
  }

  /** A line that stays: above the bar on a terminal. */
  private void line(String text) {
    if (barShown) {
      out.print(CLEAR_LINE);
      barShown = false;
    }
    out.println(text);
  }

  private void drawBar() {
    if (total == 0) {
      return;
    }
    int filled = (int) Math.round(WIDTH * (done + percent / 100.0) / total);
    filled = Math.max(0, Math.min(WIDTH, filled));
    String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
    String text = "[" + bar + "] " + done + "/" + total + " " + step;
    if (!subTask.isEmpty()) {
      text += ": " + subTask;
    }
    if (text.length() > 150) {
      text = text.substring(0, 147) + "...";
    }
    out.print(CLEAR_LINE + text);
    out.flush();
    barShown = true;
  }

  /** The end of a run, for a person. */
  synchronized void summary(WorkflowResult result) {
    if (barShown) {
      out.print(CLEAR_LINE);
      barShown = false;
    }
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
