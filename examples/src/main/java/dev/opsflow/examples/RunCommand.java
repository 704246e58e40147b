package dev.opsflow.examples;

import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowRun;
import dev.opsflow.workflow.spi.SecretResolver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code opsflow run NAME [inputs] [options]}: checks every input, then runs the workflow on the
 * durable store and prints its result.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run a workflow. Inputs are name=value or --kebab-name value (--cluster-name demo is the"
          + " input clusterName); a flag alone is true (--skip-database).",
      "Secrets only as name=@env:VARIABLE, name=@file:PATH or name=@prompt, never in clear."
    })
final class RunCommand implements Callable<Integer> {
  /** The longest idempotency key taken. */
  static final int MAX_KEY_LENGTH = 200;

  @ParentCommand OpsflowCommand root;
  @Mixin Options.OutputOptions output;
  @Mixin Options.StoreOptions store;
  @Mixin Options.TargetOptions target;

  @Option(names = "--dry-run", description = "Change nothing; say what each step would do.")
  boolean dryRun;

  @Option(
      names = "--rollback",
      description = "Undo completed steps when the run fails or is cancelled.")
  boolean rollback;

  @Option(
      names = "--key",
      paramLabel = "KEY",
      description =
          "Idempotency key: a run with this key that completed or is running (in any opsflow"
              + " process on the store) is not repeated; its result is returned.")
  String key;

  @Option(
      names = "--wait-timeout",
      paramLabel = "DURATION",
      description =
          "Bound on the whole run (300 = seconds, 5m, 1h): past it the run ends, exit 11.")
  String waitTimeout;

  @Parameters(paramLabel = "NAME [INPUT...]", description = "The workflow, then its inputs.")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    Cli cli = root.cli;
    var out = new Output(cli.out, cli.err, output.isJson());
    if (args.isEmpty() || args.get(0).startsWith("-") || args.get(0).contains("=")) {
      throw CliException.usage(
          "give the workflow's name first: opsflow run NAME [inputs]", "opsflow list");
    }
    String name = args.get(0);
    RunOptions options = options();
    Profiles.Profile profile = target.profile(cli.profiles());
    cli.simulatorsBeside(store);
    Targets targets = cli.targets(target.target(profile), profile);
    Workflow workflow = workflow(targets, name);
    Map<String, String> raw = raw(workflow, args.subList(1, args.size()), profile);
    Map<String, String> defaults = targets.defaults(name, raw);
    Map<String, String> given = resolved(cli, workflow, raw, defaults.keySet());
    Map<String, String> inputs = new LinkedHashMap<>(defaults);
    inputs.putAll(given);

    var progress = new ConsoleProgress(out.human(), cli.terminal && !out.json);
    // Should this run's key be held by a run whose process dies, this one takes it over: with
    // the secrets given here (they are never stored).
    SecretResolver secrets =
        (wf, id, input) ->
            Inputs.secretNames(workflow).contains(input) && inputs.get(input) != null
                ? java.util.Optional.of(dev.opsflow.workflow.Secret.of(inputs.get(input)))
                : java.util.Optional.empty();
    WorkflowEngine engine = cli.engine(store, progress, secrets);
    WorkflowRun run = engine.start(workflow, inputs, options);
    return RunSupervisor.supervise(cli, out, progress, run, null);
  }

  private RunOptions options() {
    RunOptions o = RunOptions.defaults().withDryRun(dryRun).withRollback(rollback);
    if (key != null) {
      if (key.isBlank()) {
        throw CliException.usage("--key: the idempotency key is blank; give a non-blank key");
      }
      if (key.length() > MAX_KEY_LENGTH) {
        throw CliException.usage(
            "--key: '" + Inputs.shown(key) + "' is longer than " + MAX_KEY_LENGTH + " characters");
      }
      o = o.withIdempotencyKey(key);
    }
    if (waitTimeout != null) {
      Duration d = Durations.parse("--wait-timeout", waitTimeout);
      o = o.withTimeout(d);
    }
    return o;
  }

  static Workflow workflow(Targets targets, String name) {
    return targets
        .registry()
        .get(name)
        .orElseThrow(
            () ->
                new CliException(
                    ExitCodes.NOT_FOUND,
                    "unknown workflow '"
                        + Inputs.shown(name)
                        + "': the workflows are "
                        + targets.registry().names(),
                    "opsflow list"));
  }

  /**
   * The inputs given on the command line and by the profile (the command line wins), as written.
   */
  static Map<String, String> raw(Workflow workflow, List<String> tokens, Profiles.Profile profile) {
    Map<String, String> raw = new LinkedHashMap<>();
    if (profile != null) {
      profile
          .values()
          .forEach(
              (k, v) -> {
                if (workflow.inputs().containsKey(k)) {
                  raw.put(k, v);
                }
              });
    }
    raw.putAll(Inputs.raw(tokens));
    return raw;
  }

  /**
   * {@code raw} with its references resolved and every value checked; a required secret that
   * neither they nor the target ({@code provided}) give is asked for on a terminal.
   */
  static Map<String, String> resolved(
      Cli cli, Workflow workflow, Map<String, String> raw, java.util.Set<String> provided) {
    Map<String, String> resolved = Inputs.resolve(workflow, raw, cli.env, cli.prompt, provided);
    List<String> problems = InputChecks.problems(resolved, Inputs.secretNames(workflow));
    if (!problems.isEmpty()) {
      throw new CliException(ExitCodes.USAGE, String.join("; ", problems), List.of(), null);
    }
    return resolved;
  }
}
