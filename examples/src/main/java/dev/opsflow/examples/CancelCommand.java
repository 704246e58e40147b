package dev.opsflow.examples;

import dev.opsflow.workflow.spi.ExecutionStore;
import dev.opsflow.workflow.spi.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code opsflow cancel RUN_ID [--rollback]}: asks the store to cancel a run, wherever it executes.
 * The process running it sees the request with its lease heartbeat and ends the run CANCELLED
 * (after its compensations when it was started with {@code --rollback}); with {@code --rollback}
 * here, its completed steps are compensated whatever it was started with, and it ends ROLLED_BACK.
 * This command waits for that and prints the result. A run no live process executes (its process
 * died) is ended here: with {@code --rollback} this process resumes it, which cancels it at once
 * and runs the compensations (secret inputs again, as for {@code resume}); without, it ends
 * CANCELLED when it is next resumed.
 */
@Command(
    name = "cancel",
    mixinStandardHelpOptions = true,
    description = {
      "Cancel a run executing in any opsflow process on the store, and wait for it to end"
          + " (compensations run when it was started with --rollback).",
      "--rollback: undo its completed steps too (their compensations), whatever it was started"
          + " with; it ends ROLLED_BACK. A run whose process died is then rolled back here (give"
          + " its secret inputs again, as for resume).",
      "Without --rollback, a run whose process died ends CANCELLED when it is next resumed."
    })
final class CancelCommand implements Callable<Integer> {
  @ParentCommand OpsflowCommand root;
  @Mixin Options.OutputOptions output;
  @Mixin Options.StoreOptions store;
  @Mixin Options.TargetOptions target;

  @Option(
      names = "--rollback",
      description = "Also run the compensations of its completed steps: it ends ROLLED_BACK.")
  boolean rollback;

  @Option(names = "--no-wait", description = "Return once the request is stored.")
  boolean noWait;

  @Option(
      names = "--wait-timeout",
      paramLabel = "DURATION",
      description = "How long to wait for the run to end (default 5m); past it, exit 11.")
  String waitTimeout;

  @Parameters(
      paramLabel = "RUN_ID [SECRET...]",
      description = "The run, then (--rollback of a run whose process died) its secret inputs.")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() throws InterruptedException {
    Cli cli = root.cli;
    var out = new Output(cli.out, cli.err, output.isJson());
    if (args.isEmpty() || args.get(0).startsWith("-") || args.get(0).contains("=")) {
      throw CliException.usage("give the run id first: opsflow cancel RUN_ID [--rollback]");
    }
    String runId = args.get(0);
    if (args.size() > 1 && !rollback) {
      throw CliException.usage(
          "'" + Inputs.shown(args.get(1)) + "': only a cancel with --rollback takes secret inputs");
    }
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
    if (!request(s, runId)) {
      r = RunViews.find(s, runId);
      throw new CliException(
          ExitCodes.CONFLICT,
          "run " + runId + " ended " + r.state() + " before the cancel reached it",
          List.of("opsflow status " + runId),
          runId);
    }
    boolean live = r.leaseUntil() != null && r.leaseUntil().isAfter(Instant.now());
    if (rollback && !live && !noWait) {
      // No process executes it: this one does, and the request ends it at once, rolled back.
      out.err.println(
          "opsflow: cancel and rollback of run "
              + runId
              + " requested; no live process executes it (its lease "
              + (r.leaseUntil() == null ? "is released" : "ended at " + r.leaseUntil())
              + "), so this one rolls it back");
      return resumeHere();
    }
    if (noWait || !live) {
      String note =
          live
              ? "cancel of run " + runId + " requested; its process ends it shortly"
              : "cancel of run "
                  + runId
                  + " requested; no live process executes it now (its lease expired), so it"
                  + " ends "
                  + (rollback ? "ROLLED_BACK" : "CANCELLED")
                  + " when it is next resumed: opsflow resume "
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
        if (rollback) {
          out.err.println(
              "opsflow: run "
                  + runId
                  + " is no longer executing anywhere (its process stopped renewing its lease);"
                  + " this process rolls it back");
          return resumeHere();
        }
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

  /** Stores the request; with {@code --rollback}, one to undo the completed steps too. */
  private boolean request(ExecutionStore s, String runId) {
    try {
      return s.requestCancel(runId, Instant.now(), rollback);
    } catch (UnsupportedOperationException e) {
      throw new CliException(ExitCodes.CONFIGURATION, e.getMessage(), "give --store DIR");
    }
  }

  /** {@code opsflow resume RUN_ID [secrets]} in this process, with this command's options. */
  private int resumeHere() throws InterruptedException {
    var resume = new ResumeCommand();
    resume.root = root;
    resume.output = output;
    resume.store = store;
    resume.target = target;
    resume.waitTimeout = waitTimeout;
    resume.args = new ArrayList<>(args);
    return resume.call();
  }
}
