package dev.opsflow.examples;

import dev.opsflow.workflow.RunStatus;
import dev.opsflow.workflow.spi.ExecutionStore;
import dev.opsflow.workflow.spi.RunRecord;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code opsflow status RUN_ID [--watch]}: a run's status from the store, from any process. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Show a run's status from the store: its state, steps done, the live step and sub-task.",
      "With --watch, follow it until it ends (JSON: one line per change); the exit status is"
          + " then the run's."
    })
final class StatusCommand implements Callable<Integer> {
  @ParentCommand OpsflowCommand root;
  @Mixin Options.OutputOptions output;
  @Mixin Options.StoreOptions store;

  @Option(names = "--watch", description = "Follow the run until it ends.")
  boolean watch;

  @Parameters(paramLabel = "RUN_ID", description = "The run.")
  String runId;

  @Override
  public Integer call() throws InterruptedException {
    Cli cli = root.cli;
    var out = new Output(cli.out, cli.err, output.isJson());
    ExecutionStore s = cli.store(store);
    RunRecord r = RunViews.find(s, runId);
    RunStatus last = null;
    while (true) {
      RunStatus now = RunViews.status(r, s.events(runId));
      if (last == null || changed(last, now)) {
        if (out.json) {
          out.out.println(Output.statusJson(now, !watch));
        } else {
          out.out.println(RunViews.human(now, r));
        }
        last = now;
      }
      if (!watch || r.state().isFinished()) {
        break;
      }
      Thread.sleep(500);
      r = RunViews.find(s, runId);
    }
    if (watch && r.result() != null) {
      return ExitCodes.of(r.result()).code;
    }
    return ExitCodes.SUCCESS.code;
  }

  private static boolean changed(RunStatus a, RunStatus b) {
    return a.state() != b.state()
        || a.stepsCompleted() != b.stepsCompleted()
        || !java.util.Objects.equals(a.currentStep(), b.currentStep())
        || !java.util.Objects.equals(a.currentSubTask(), b.currentSubTask());
  }
}
