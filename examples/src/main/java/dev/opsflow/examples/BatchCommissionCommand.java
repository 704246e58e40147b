package dev.opsflow.examples;

import dev.opsflow.workflow.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code opsflow batch-commission}: {@link BatchCommand} under picocli, with its own arguments. */
@Command(
    name = BatchCommissionCommand.NAME,
    mixinStandardHelpOptions = true,
    description = {
      "Commission many servers (BatchCommissioning) on the store's durable engine:"
          + " servers=N|ID@BMC,...|rack.csv [config=provisioning_config.yaml]"
          + " [ipRange=FIRST-LAST gateway=IP] [netmask=MASK] [maxParallel=N]"
          + " [maxFailedPercentage=P] [continueOnError=true|false] [batchId=ID]"
          + " [workflow=commission-server] [key=value ...]",
      "Options: --output json|human (--json), --store DIR, --lease DURATION, --dry-run,"
          + " --rollback, --target simulator|real. Everything is checked before any server is"
          + " touched (exit 2)."
    })
final class BatchCommissionCommand implements Callable<Integer> {
  static final String NAME = BatchCommand.NAME;

  @ParentCommand OpsflowCommand root;
  @Mixin Options.OutputOptions output;
  @Mixin Options.StoreOptions store;

  @Parameters(paramLabel = "ARG", description = "key=value arguments and options.")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    Cli cli = root.cli;
    try {
      return new BatchCommand(cli, cli.out, cli.err).run(args, output.isJson(), store);
    } catch (ValidationException e) {
      var out =
          new Output(
              cli.out,
              cli.err,
              output.isJson() || OpsflowCommand.wantsJson(args.toArray(new String[0])));
      out.error(ExitCodes.USAGE, String.join("; ", e.problems()), List.of(), null);
      return ExitCodes.USAGE.code;
    }
  }
}
