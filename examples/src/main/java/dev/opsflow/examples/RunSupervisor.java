package dev.opsflow.examples;

import dev.opsflow.workflow.CancelledException;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.WorkflowRun;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Waits for a started or resumed run as an operator's command does: signals cancel it, {@code
 * --wait-timeout} bounds it, and its result is printed (the result JSON, or a summary) with
 * suggestions a shell can follow. Returns the exit status.
 */
final class RunSupervisor {
  private RunSupervisor() {}

  /**
   * @param waitTimeout a bound on the wait when the run itself has none (a resumed run keeps its
   *     stored timeout), or null
   */
  static int supervise(
      Cli cli, Output output, ConsoleProgress progress, WorkflowRun run, Duration waitTimeout) {
    var timedOut = new AtomicBoolean();
    ScheduledExecutorService timer = null;
    if (waitTimeout != null) {
      timer =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "opsflow-wait-timeout");
                t.setDaemon(true);
                return t;
              });
      timer.schedule(
          () -> {
            timedOut.set(true);
            output.err.println(
                "opsflow: --wait-timeout of " + waitTimeout + " reached; cancelling the run");
            run.cancel();
          },
          waitTimeout.toNanos(),
          TimeUnit.NANOSECONDS);
    }
    cli.signals.supervise(run.runId(), run::cancel);
    WorkflowResult result;
    try {
      result = run.await();
    } catch (CancelledException e) {
      throw new CliException(ExitCodes.CANCELLED, e.getMessage(), java.util.List.of(), run.runId());
    } finally {
      cli.signals.release();
      if (timer != null) {
        timer.shutdownNow();
      }
    }
    int exit = printed(output, progress, result);
    return timedOut.get() && !result.success() ? ExitCodes.TIMEOUT.code : exit;
  }

  /** Prints {@code result} (JSON, or a summary) and returns its exit status. */
  static int printed(Output output, ConsoleProgress progress, WorkflowResult result) {
    WorkflowResult shown = Suggestions.forShell(result);
    if (output.json) {
      output.out.println(shown.toJson());
    } else {
      progress.summary(shown);
    }
    return ExitCodes.of(shown).code;
  }
}
