package dev.opsflow.examples;

import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.spi.ExecutionStore;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code opsflow events RUN_ID}: a run's event journal, in order. */
@Command(
    name = "events",
    mixinStandardHelpOptions = true,
    description = "Show a run's event journal, in order (every execution, resumes included).")
final class EventsCommand implements Callable<Integer> {
  @ParentCommand OpsflowCommand root;
  @Mixin Options.OutputOptions output;
  @Mixin Options.StoreOptions store;

  @Parameters(paramLabel = "RUN_ID", description = "The run.")
  String runId;

  @Override
  public Integer call() {
    Cli cli = root.cli;
    var out = new Output(cli.out, cli.err, output.isJson());
    ExecutionStore s = cli.store(store);
    RunViews.find(s, runId);
    List<WorkflowEvent> events = s.events(runId);
    if (out.json) {
      out.out.println(
          dev.opsflow.workflow.Json.mapper()
              .writerFor(new tools.jackson.core.type.TypeReference<List<WorkflowEvent>>() {})
              .withDefaultPrettyPrinter()
              .writeValueAsString(events));
    } else {
      for (WorkflowEvent e : events) {
        out.out.println(e.sequence() + "  " + e.timestamp() + "  " + line(e));
      }
    }
    return ExitCodes.SUCCESS.code;
  }

  private static String line(WorkflowEvent event) {
    if (event instanceof WorkflowEvent.RunStarted e) {
      return (e.resumed() ? "resumed " : "started ")
          + e.workflow()
          + (e.dryRun() ? " (dry run)" : "");
    } else if (event instanceof WorkflowEvent.RunFinished e) {
      return "finished " + e.state() + ": " + e.message();
    } else if (event instanceof WorkflowEvent.StepStarted e) {
      return e.step() + ": started (attempt " + e.attempt() + ")";
    } else if (event instanceof WorkflowEvent.StepProgress e) {
      return e.step() + ": " + (e.subTask() == null ? "" : e.subTask() + " ") + e.percent() + "%";
    } else if (event instanceof WorkflowEvent.StepRetrying e) {
      return e.step() + ": retrying";
    } else if (event instanceof WorkflowEvent.StepSucceeded e) {
      return e.step()
          + ": succeeded after "
          + e.attempts()
          + " attempt(s), "
          + e.durationMs()
          + " ms";
    } else if (event instanceof WorkflowEvent.StepSkipped e) {
      return e.step() + ": skipped, " + e.reason();
    } else if (event instanceof WorkflowEvent.StepFailed e) {
      return e.step() + ": failed (" + e.errorKind() + "): " + e.message();
    } else if (event instanceof WorkflowEvent.Compensation e) {
      return e.step() + ": " + (e.succeeded() ? "rolled back" : "rollback failed: " + e.message());
    } else if (event instanceof WorkflowEvent.AttemptAbandoned e) {
      return e.step() + ": attempt " + e.attempt() + " abandoned after its " + e.reason();
    } else if (event instanceof WorkflowEvent.AbandonedAttemptEnded e) {
      return e.step() + ": abandoned attempt " + e.attempt() + " ended (" + e.how() + ")";
    } else if (event instanceof WorkflowEvent.CircuitStateChanged e) {
      return e.step() + ": circuit breaker of " + e.endpoint() + " is " + e.state();
    }
    return event.toString();
  }
}
