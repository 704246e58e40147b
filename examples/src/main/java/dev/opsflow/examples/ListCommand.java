package dev.opsflow.examples;

import dev.opsflow.workflow.WorkflowRegistry;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code opsflow list}: the workflows and their inputs. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "List the workflows and their inputs.")
final class ListCommand implements Callable<Integer> {
  @ParentCommand OpsflowCommand root;
  @Mixin Options.OutputOptions output;

  @Override
  public Integer call() {
    Cli cli = root.cli;
    var out = new Output(cli.out, cli.err, output.isJson());
    // The registry is the same on every target; the simulators' is built without starting any.
    WorkflowRegistry registry = cli.targets("simulator").registry();
    if (out.json) {
      out.printJson(registry.describe());
      return 0;
    }
    for (var w : registry.describe()) {
      out.out.println(w.name() + ": " + w.description());
      for (var p : w.parameters()) {
        out.out.println("    " + DescribeCommand.parameter(p));
      }
    }
    return 0;
  }
}
