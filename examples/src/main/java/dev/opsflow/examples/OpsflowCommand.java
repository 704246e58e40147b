package dev.opsflow.examples;

import dev.opsflow.workflow.ValidationException;
import dev.opsflow.workflow.spi.StoreException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code opsflow}: with no command, runs {@code init-cluster} on the embedded simulators (on the
 * durable store, so {@code opsflow history} shows it); else one of its commands, the standalone
 * simulators ({@code opsflow simulate KIND}) among them.
 */
@Command(
    name = "opsflow",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = {
      "Runs infrastructure workflows on a durable store: a run survives a crash and resumes"
          + " without repeating a completed step.",
      "With no command: run init-cluster on the embedded simulators."
    },
    subcommands = {
      ListCommand.class,
      DescribeCommand.class,
      RunCommand.class,
      StatusCommand.class,
      ResumeCommand.class,
      CancelCommand.class,
      HistoryCommand.class,
      EventsCommand.class,
      BatchCommissionCommand.class,
      SimulateCommand.class,
      DashboardCommand.class,
      ProfileCommand.class,
      VersionCommand.class,
      picocli.AutoComplete.GenerateCompletion.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Exit status: 0 success, 1 other error, 2 usage, 3 configuration, 4 authentication,"
          + " 5 not found, 6 validation, 7 conflict, 8 remote API error, 9 rate limited,"
          + " 10 network, 11 timeout, 12 cancelled, 13 partial (stopped, work kept, resumable)."
    })
final class OpsflowCommand implements Callable<Integer> {
  final Cli cli;

  @Mixin Options.OutputOptions output;
  @Mixin Options.StoreOptions store;

  OpsflowCommand(Cli cli) {
    this.cli = cli;
  }

  /** The default command: {@code opsflow run init-cluster}. */
  @Override
  public Integer call() {
    var run = new RunCommand();
    run.root = this;
    run.output = output;
    run.store = store;
    run.target = new Options.TargetOptions();
    run.args = List.of(Cli.DEFAULT_WORKFLOW);
    return run.call();
  }

  /** The command line of {@code cli}, with its error handling: every failure is an exit status. */
  static CommandLine commandLine(Cli cli) {
    var cmd = new CommandLine(new OpsflowCommand(cli));
    cmd.setOut(new java.io.PrintWriter(cli.out, true));
    cmd.setErr(new java.io.PrintWriter(cli.err, true));
    // redisctl's flags (--cluster-name NAME) are inputs: the commands that take inputs read them.
    for (String name : List.of("run", "resume", BatchCommissionCommand.NAME)) {
      cmd.getSubcommands().get(name).setUnmatchedOptionsArePositionalParams(true);
    }
    cmd.setParameterExceptionHandler(
        (e, args) -> {
          var out = new Output(cli.out, cli.err, wantsJson(args));
          out.error(
              ExitCodes.USAGE,
              e.getMessage(),
              List.of("opsflow " + commandName(e.getCommandLine()) + " --help"),
              null);
          return ExitCodes.USAGE.code;
        });
    cmd.setExecutionExceptionHandler(
        (e, c, parsed) -> {
          var out =
              new Output(cli.out, cli.err, wantsJson(parsed.originalArgs().toArray(new String[0])));
          return report(out, e);
        });
    return cmd;
  }

  /** Prints {@code e} as the command's error; returns its exit status. */
  static int report(Output out, Exception e) {
    if (e instanceof CliException c) {
      out.error(c.exit, c.getMessage(), c.suggestions, c.runId);
      return c.exit.code;
    }
    if (e instanceof ValidationException v) {
      out.error(ExitCodes.VALIDATION, String.join("; ", v.problems()), List.of(), null);
      return ExitCodes.VALIDATION.code;
    }
    if (e instanceof StoreException s) {
      out.error(ExitCodes.CONFIGURATION, s.getMessage(), List.of(), null);
      return ExitCodes.CONFIGURATION.code;
    }
    out.error(ExitCodes.ERROR, String.valueOf(e), List.of(), null);
    return ExitCodes.ERROR.code;
  }

  private static String commandName(CommandLine c) {
    String name = c.getCommandName();
    return c.getParent() == null ? "" : name;
  }

  /** Whether the arguments ask for JSON, read even when they do not parse. */
  static boolean wantsJson(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--json") || a.equals("--output=json") || a.equals("-ojson")) {
        return true;
      }
      if ((a.equals("--output") || a.equals("-o")) && i + 1 < args.length) {
        if (args[i + 1].equals("json")) {
          return true;
        }
      }
    }
    return false;
  }
}
