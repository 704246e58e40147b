package dev.opsflow.examples;

import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code opsflow describe NAME}: a workflow's steps in order (whether each changes anything, can be
 * rolled back, and its retry and timeout), its inputs, and where its outputs are.
 */
@Command(
    name = "describe",
    mixinStandardHelpOptions = true,
    description = "Show a workflow's steps in order, what each changes, and its inputs.")
final class DescribeCommand implements Callable<Integer> {
  @ParentCommand OpsflowCommand root;
  @Mixin Options.OutputOptions output;

  @Parameters(paramLabel = "NAME", description = "The workflow.")
  String name;

  @Override
  public Integer call() {
    Cli cli = root.cli;
    var out = new Output(cli.out, cli.err, output.isJson());
    Targets targets = cli.targets("simulator");
    Workflow wf = RunCommand.workflow(targets, name);
    WorkflowRegistry.WorkflowInfo info =
        targets.registry().describe().stream()
            .filter(w -> w.name().equals(name))
            .findFirst()
            .orElseThrow();
    var steps = new ArrayList<Map<String, Object>>();
    for (Workflow.Node node : wf.nodes()) {
      var step = new LinkedHashMap<String, Object>();
      step.put("name", node.step().name());
      step.put("changes", !node.step().readOnly());
      step.put("rollback", node.step().hasCompensation());
      step.put("options", String.valueOf(node.options()));
      steps.add(step);
    }
    if (out.json) {
      var doc = new LinkedHashMap<String, Object>();
      doc.put("name", wf.name());
      doc.put("version", wf.version());
      doc.put("description", wf.description());
      doc.put("steps", steps);
      doc.put("inputs", info.parameters());
      doc.put(
          "outputs",
          "the result's outputs (docs/result-json.md); run with --dry-run to see what each step"
              + " would change");
      out.printJson(doc);
      return 0;
    }
    out.out.println(wf.name() + " (version " + wf.version() + "): " + wf.description());
    out.out.println();
    out.out.println("Steps, in order:");
    int i = 1;
    for (var s : steps) {
      out.out.printf(
          "  %2d. %-28s %s%s%n",
          i++,
          s.get("name"),
          (Boolean) s.get("changes") ? "changes state" : "reads only",
          (Boolean) s.get("rollback") ? ", can be rolled back" : "");
    }
    out.out.println();
    out.out.println("Inputs:");
    for (var p : info.parameters()) {
      out.out.println("  " + parameter(p));
    }
    out.out.println();
    out.out.println(
        "Outputs: in the result (opsflow run "
            + wf.name()
            + " --output json); what each step would change: --dry-run");
    return 0;
  }

  static String parameter(WorkflowRegistry.ParameterSpec p) {
    return p.name()
        + (p.required() ? " (required)" : "")
        + (p.secret() ? " (secret)" : "")
        + (p.defaultValue() != null ? " [default " + p.defaultValue() + "]" : "")
        + ": "
        + (p.description() == null ? "" : p.description() + "; ")
        + p.expects();
  }
}
