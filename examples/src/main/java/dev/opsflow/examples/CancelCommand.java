package dev.opsflow.examples;

import dev.opsflow.workflow.spi.ExecutionStore;
import dev.opsflow.workflow.spi.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code opsflow cancel RUN_ID}: asks the store to cancel a run, wherever it executes. The process
 * running it sees the request with its lease heartbeat and ends the run CANCELLED (after its
 * compensations when it was started with {@code --rollback}); this command waits for that and
 * prints the result.
 */
@Command(
    name = "cancel",
    mixinStandardHelpOptions = true,
    description = {
      "Cancel a run executing in any opsflow process on the store, and wait for it to end"
          + " (compensations run when it was started with --rollback).",
      "A run whose process died ends CANCELLED when it is next resumed."
    })
final class CancelCommand implements Callable<Integer> {
  @ParentCommand OpsflowCommand root;
  @Mixin Options.OutputOptions output;
  @Mixin Options.StoreOptions store;

  @Option(names = "--no-wait", description = "Return once the request is stored.")
  boolean noWait;

  @Option(
      names = "--wait-timeout",
      paramLabel = "DURATION",
      description = "How long to wait for the run to end (default 5m); past it, exit 11.")
  String waitTimeout;

  @Parameters(paramLabel = "RUN_ID", description = "The run.")
  String runId;

  @Override
  public Integer call() throws InterruptedException {
    Cli cli = root.cli;
    var out = new Output(cli.out, cli.err, output.isJson());
    Duration bound =
        waitTimeout == null
            ? Duration.ofMinutes(5)
            : Durations.parse("--wait-timeout", waitTimeout);
    ExecutionStore s = cli.store(store);
    RunRecord r = RunViews.find(s, runId);
    if (r.state().isFinished()) {
      throw new CliException(
          ExitCodes.CONFLICT,
          "run " + runId + " already ended " + r.state() + "; there is nothing to cancel",
          List.of("opsflow status " + runId),
          runId);
    }
    if (!s.requestCancel(runId, Instant.now())) {
      r = RunViews.find(s, runId);
      throw new CliException(
          ExitCodes.CONFLICT,
          "run " + runId + " ended " + r.state() + " before the cancel reached it",
          List.of("opsflow status " + runId),
          runId);
    }
    boolean live = r.leaseUntil() != null && r.leaseUntil().isAfter(Instant.now());
    if (noWait || !live) {
      String note =
          live
              ? "cancel of run " + runId + " requested; its process ends it shortly"
              : "cancel of run "
                  + runId
                  + " requested; no live process executes it now (its lease expired), so it"
                  + " ends CANCELLED when it is next resumed: opsflow resume "
                  + runId;
      if (out.json) {
        out.printJson(RunViews.status(RunViews.find(s, runId), s.events(runId)));
      }
      out.err.println("opsflow: " + note);
      return ExitCodes.SUCCESS.code;
    }
    out.err.println("opsflow: cancel of run " + runId + " requested; waiting for it to end");
    long deadline = System.nanoTime() + bound.toNanos();
    while (!r.state().isFinished() || r.result() == null) {
      if (System.nanoTime() > deadline) {
        throw new CliException(
            ExitCodes.TIMEOUT,
            "run " + runId + " did not end within " + bound + " of the cancel request",
            List.of("opsflow status " + runId + " --watch"),
            runId);
      }
      Thread.sleep(200);
      r = RunViews.find(s, runId);
      if (!r.state().isFinished()
          && r.leaseUntil() != null
          && r.leaseUntil().isBefore(Instant.now().minusSeconds(1))) {
        throw new CliException(
            ExitCodes.CONFLICT,
            "run "
                + runId
                + " is no longer executing anywhere (its process stopped renewing its lease); the"
                + " cancel is kept, and the run ends CANCELLED when it is next resumed",
            List.of("opsflow resume " + runId),
            runId);
      }
    }
    return RunSupervisor.printed(out, new ConsoleProgress(out.human()), r.result());
  }
}
