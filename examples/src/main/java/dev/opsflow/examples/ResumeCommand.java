package dev.opsflow.examples;

import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.ValidationException;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowRun;
import dev.opsflow.workflow.spi.ExecutionStore;
import dev.opsflow.workflow.spi.RunRecord;
import dev.opsflow.workflow.spi.SecretResolver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code opsflow resume RUN_ID [secret inputs]}: continues a stored run from its first step that
 * did not complete, in this process. Secrets are never stored, so they are given again (as
 * references, or by the target and profile). A run still held by a process that died is taken once
 * its lease expires; one held by a live process is refused (exit 7).
 */
@Command(
    name = "resume",
    mixinStandardHelpOptions = true,
    description = {
      "Continue a run (unfinished, PARTIAL, FAILED or CANCELLED) from its first step that did not"
          + " complete, without repeating a completed one.",
      "Secret inputs again as name=@env:VARIABLE, name=@file:PATH or name=@prompt."
    })
final class ResumeCommand implements Callable<Integer> {
  @ParentCommand OpsflowCommand root;
  @Mixin Options.OutputOptions output;
  @Mixin Options.StoreOptions store;
  @Mixin Options.TargetOptions target;

  @Option(
      names = "--wait-timeout",
      paramLabel = "DURATION",
      description = "Bound on this resumed execution (300 = seconds, 5m): past it, exit 11.")
  String waitTimeout;

  @Parameters(paramLabel = "RUN_ID [SECRET...]", description = "The run, then its secret inputs.")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() throws InterruptedException {
    Cli cli = root.cli;
    var out = new Output(cli.out, cli.err, output.isJson());
    if (args.isEmpty() || args.get(0).startsWith("-") || args.get(0).contains("=")) {
      throw CliException.usage("give the run id first: opsflow resume RUN_ID [secret inputs]");
    }
    String runId = args.get(0);
    Duration bound = waitTimeout == null ? null : Durations.parse("--wait-timeout", waitTimeout);
    ExecutionStore s = cli.store(store);
    RunRecord record = RunViews.find(s, runId);
    if (record.state() == RunState.COMPLETED && record.result() != null) {
      // Nothing left to do: the stored result, as a second run with the same key gives it.
      out.human().println("run " + runId + " already completed; its result:");
      return RunSupervisor.printed(
          out, new ConsoleProgress(out.human(), cli.terminal && !out.json), record.result());
    }
    Profiles.Profile profile = target.profile(cli.profiles());
    String t = target.target(profile);
    cli.simulatorsBeside(store);
    Targets targets = cli.targets(t, profile);
    Workflow workflow = RunCommand.workflow(targets, record.workflow());
    List<String> tokens = args.subList(1, args.size());
    for (String name : Inputs.raw(tokens).keySet()) {
      if (!Inputs.secretNames(workflow).contains(name)) {
        throw CliException.usage(
            "input '"
                + name
                + "': a resumed run keeps the inputs it started with; give only its secrets again");
      }
    }
    Map<String, String> raw = RunCommand.raw(workflow, tokens, profile);
    raw.keySet().retainAll(Inputs.secretNames(workflow));
    // The machine the run acts on, so that its own BMC's secrets are given again.
    Map<String, String> same = new LinkedHashMap<>();
    Object systemId = record.inputs().get("systemId");
    if (systemId != null) {
      same.put("systemId", systemId.toString());
    }
    Map<String, String> provided = targets.defaults(record.workflow(), same);
    if (targets.isSimulated()) {
      refuseOtherSimulators(record, provided);
    }
    Map<String, String> given = RunCommand.resolved(cli, workflow, raw, provided.keySet());
    Map<String, String> secrets = new LinkedHashMap<>(targets.defaults(record.workflow(), same));
    secrets.putAll(given);
    SecretResolver resolver =
        (wf, id, input) -> Optional.ofNullable(secrets.get(input)).map(Secret::of);
    var progress = new ConsoleProgress(out.human(), cli.terminal && !out.json);
    WorkflowEngine engine = cli.engine(store, progress, resolver);
    WorkflowRun run = resume(engine, s, record, workflow, out);
    return RunSupervisor.supervise(cli, out, progress, run, bound);
  }

  /**
   * Resumes the run, waiting for the lease of a process that died to expire: a live owner renews
   * its lease (the stored version moves), a dead one does not.
   */
  static WorkflowRun resume(
      WorkflowEngine engine, ExecutionStore s, RunRecord first, Workflow workflow, Output out)
      throws InterruptedException {
    RunRecord seen = null;
    while (true) {
      try {
        return engine.resume(first.runId(), workflow);
      } catch (ValidationException e) {
        RunRecord now = RunViews.find(s, first.runId());
        Instant until = now.leaseUntil();
        boolean held =
            !now.state().isFinished()
                && now.owner() != null
                && until != null
                && until.isAfter(Instant.now());
        if (!held) {
          throw new CliException(
              ExitCodes.CONFLICT, String.join("; ", e.problems()), List.of(), first.runId());
        }
        if (seen != null && seen.version() != now.version()) {
          throw new CliException(
              ExitCodes.CONFLICT,
              "run "
                  + first.runId()
                  + " is executing in a live process ("
                  + now.owner()
                  + " keeps renewing its lease)",
              List.of(
                  "follow it: opsflow status " + first.runId() + " --watch",
                  "stop it: opsflow cancel " + first.runId()),
              first.runId());
        }
        if (seen == null) {
          out.err.println(
              "opsflow: run "
                  + first.runId()
                  + " is held by "
                  + now.owner()
                  + " until "
                  + until
                  + "; waiting for that lease to expire (a process that died holds it until"
                  + " then)");
        }
        seen = now;
        Thread.sleep(Math.max(50, Duration.between(Instant.now(), until).toMillis() + 100));
      }
    }
  }

  /**
   * The embedded simulators keep their state beside the store and come back on their ports; a run
   * whose endpoints are not here (this process could not meet that world: another process owns it,
   * a port was taken, or the run was started with {@code --store memory} elsewhere) cannot
   * continue.
   */
  private static void refuseOtherSimulators(RunRecord record, Map<String, String> here) {
    for (String endpoint : List.of("url", "maasUrl")) {
      Object was = record.inputs().get(endpoint);
      if (was != null && here.containsKey(endpoint) && !was.equals(here.get(endpoint))) {
        throw new CliException(
            ExitCodes.CONFIGURATION,
            "run "
                + record.runId()
                + " acted on embedded simulators at "
                + endpoint
                + " "
                + was
                + ", which this process cannot meet again (they are at "
                + here.get(endpoint)
                + " here: another opsflow process holds the store's simulators, or their port"
                + " was taken)",
            List.of(
                "wait for the other opsflow process on this store to end, then: opsflow resume "
                    + record.runId(),
                "resume runs on endpoints that outlive the process: opsflow resume "
                    + record.runId()
                    + " --target real [secrets]"),
            record.runId());
      }
    }
  }
}
