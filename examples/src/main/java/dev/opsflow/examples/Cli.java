package dev.opsflow.examples;

import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.ValidationException;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowRegistry;
import dev.opsflow.workflow.WorkflowResult;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The command line over the workflow registry.
 *
 * <pre>
 * opsflow                               run init-cluster on the embedded simulators
 * opsflow list                          the workflows and their parameters
 * opsflow run NAME [key=value ...]      run a workflow
 *     --json                            print only the result JSON (progress goes to stderr)
 *     --dry-run                         change nothing; say what each step would do
 *     --rollback                        undo completed steps when the run fails
 *     --key KEY                         idempotency key: a completed run with it is not repeated
 *     --target simulator|real           simulators (default) or the endpoints in the arguments
 * </pre>
 *
 * <p>A value {@code @env:NAME} is read from the environment variable NAME, so passwords and API
 * keys never appear on the command line. Not thread-safe; one per invocation.
 */
final class Cli implements AutoCloseable {
  static final String DEFAULT_WORKFLOW = "init-cluster";

  private final PrintStream out;
  private final PrintStream err;
  private final Function<String, String> env;
  private Targets targets;

  Cli(PrintStream out, PrintStream err, Function<String, String> env) {
    this.out = out;
    this.err = err;
    this.env = env;
  }

  int run(String... args) {
    List<String> rest = new ArrayList<>(List.of(args));
    String command = rest.isEmpty() ? "run" : rest.remove(0);
    try {
      return switch (command) {
        case "run" -> runWorkflow(rest);
        case "list" -> list(rest);
        case "help", "--help", "-h" -> help();
        default -> usage("unknown command '" + command + "'");
      };
    } catch (ValidationException e) {
      err.println("opsflow: " + e.getMessage());
      return 2;
    }
  }

  private int help() {
    out.println(
        """
        usage: opsflow [list | run NAME [key=value ...] [--json] [--dry-run] [--rollback]
                       [--key KEY] [--target simulator|real]]
        With no arguments, runs init-cluster on the embedded Redis Enterprise simulator.
        A value @env:NAME is read from the environment variable NAME (for secrets).""");
    return 0;
  }

  private int usage(String problem) {
    err.println("opsflow: " + problem + " (try 'opsflow help')");
    return 2;
  }

  private int list(List<String> args) {
    WorkflowRegistry registry = targets(target(args)).registry();
    for (var w : registry.describe()) {
      out.println(w.name() + ": " + w.description());
      for (var p : w.parameters()) {
        out.println(
            "    "
                + p.name()
                + (p.required() ? " (required)" : "")
                + (p.secret() ? " (secret)" : "")
                + (p.defaultValue() != null ? " [default " + p.defaultValue() + "]" : "")
                + ": "
                + (p.description() == null ? "" : p.description() + "; ")
                + p.expects());
      }
    }
    return 0;
  }

  private int runWorkflow(List<String> args) {
    String name = DEFAULT_WORKFLOW;
    boolean json = false;
    var options = RunOptions.defaults();
    String target = target(args);
    var values = new LinkedHashMap<String, String>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "--json" -> json = true;
        case "--dry-run" -> options = options.withDryRun(true);
        case "--rollback" -> options = options.withRollback(true);
        case "--key" -> options = options.withIdempotencyKey(value(args, ++i, "--key"));
        case "--target" -> i++;
        default -> {
          if (a.startsWith("--")) {
            return usage("unknown option '" + a + "'");
          }
          int eq = a.indexOf('=');
          if (eq > 0) {
            values.put(a.substring(0, eq), resolve(a.substring(0, eq), a.substring(eq + 1)));
          } else if (i == 0) {
            name = a;
          } else {
            return usage("argument '" + a + "' is not key=value");
          }
        }
      }
    }
    Targets t = targets(target);
    Map<String, String> inputs = new LinkedHashMap<>(t.defaults(name));
    inputs.putAll(values);
    var progress = new ConsoleProgress(json ? err : out);
    try (var engine = WorkflowEngine.builder().listener(progress).build()) {
      WorkflowResult result = t.registry().run(engine, name, inputs, options);
      if (json) {
        out.println(result.toJson());
      } else {
        progress.summary(result);
      }
      return result.success() ? 0 : 1;
    }
  }

  private String resolve(String key, String raw) {
    if (!raw.startsWith("@env:")) {
      return raw;
    }
    String var = raw.substring(5);
    String v = env.apply(var);
    if (v == null) {
      throw new ValidationException(
          "input '" + key + "': environment variable " + var + " is not set");
    }
    return v;
  }

  private static String value(List<String> args, int i, String option) {
    if (i >= args.size()) {
      throw new ValidationException(option + " needs a value");
    }
    return args.get(i);
  }

  private static String target(List<String> args) {
    int i = args.indexOf("--target");
    if (i < 0) {
      return "simulator";
    }
    String t = value(args, i + 1, "--target");
    if (!t.equals("simulator") && !t.equals("real")) {
      throw new ValidationException("--target: '" + t + "' is not simulator or real");
    }
    return t;
  }

  private Targets targets(String target) {
    if (targets == null) {
      targets = target.equals("real") ? Targets.real(env) : Targets.simulators();
    }
    return targets;
  }

  @Override
  public void close() {
    if (targets != null) {
      targets.close();
    }
  }
}
