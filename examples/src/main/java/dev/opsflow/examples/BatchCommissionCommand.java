package dev.opsflow.examples;

import dev.opsflow.workflow.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code opsflow batch-commission}: {@link BatchCommand} under picocli, with its own arguments. */
@Command(
    name = BatchCommissionCommand.NAME,
    mixinStandardHelpOptions = true,
    description = {
      "Commission many servers (BatchCommissioning): servers=N|ID@BMC,... [ipRange=FIRST-LAST"
          + " gateway=IP] [netmask=MASK] [maxParallel=N] [maxFailedPercentage=P]"
          + " [continueOnError=true|false] [batchId=ID] [workflow=commission-server] [key=value"
          + " ...]",
      "Options: --json, --dry-run, --rollback, --target simulator|real."
    })
final class BatchCommissionCommand implements Callable<Integer> {
  static final String NAME = BatchCommand.NAME;

  @ParentCommand OpsflowCommand root;

  @Parameters(paramLabel = "ARG", description = "key=value arguments and options.")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    Cli cli = root.cli;
    try {
      return new BatchCommand(cli, cli.out, cli.err).run(args);
    } catch (ValidationException e) {
      var out = new Output(cli.out, cli.err, OpsflowCommand.wantsJson(args.toArray(new String[0])));
      out.error(ExitCodes.USAGE, String.join("; ", e.problems()), List.of(), null);
      return ExitCodes.USAGE.code;
    }
  }
}
